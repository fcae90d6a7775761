using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Guichet.Queueing.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "queue_branches",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TimeZoneId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OpeningHours = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ShowMaskedNames = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_queue_branches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "queue_counters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BranchId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    WindowNumber = table.Column<int>(type: "integer", nullable: false),
                    IsPaused = table.Column<bool>(type: "boolean", nullable: false),
                    StaffMemberId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_queue_counters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_queue_counters_queue_branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "queue_branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "queue_services",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BranchId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    BusinessType = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Prefix = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    ServiceHours = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    DailyCap = table.Column<int>(type: "integer", nullable: false),
                    WaitingWarningLevel = table.Column<int>(type: "integer", nullable: false),
                    DefaultServiceMinutes = table.Column<int>(type: "integer", nullable: false),
                    CollectsPhone = table.Column<bool>(type: "boolean", nullable: false),
                    PhonePurpose = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CollectsIdNumber = table.Column<bool>(type: "boolean", nullable: false),
                    IdNumberPurpose = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    DisplayOrder = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_queue_services", x => x.Id);
                    table.ForeignKey(
                        name: "FK_queue_services_queue_branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "queue_branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "queue_counter_services",
                columns: table => new
                {
                    CounterId = table.Column<Guid>(type: "uuid", nullable: false),
                    ServiceId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_queue_counter_services", x => new { x.CounterId, x.ServiceId });
                    table.ForeignKey(
                        name: "FK_queue_counter_services_queue_counters_CounterId",
                        column: x => x.CounterId,
                        principalTable: "queue_counters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_queue_counter_services_queue_services_ServiceId",
                        column: x => x.ServiceId,
                        principalTable: "queue_services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "queue_tickets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BranchId = table.Column<Guid>(type: "uuid", nullable: false),
                    ServiceId = table.Column<Guid>(type: "uuid", nullable: false),
                    IssuedServiceId = table.Column<Guid>(type: "uuid", nullable: false),
                    ServiceDay = table.Column<DateOnly>(type: "date", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Priority = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PriorityReason = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ArrivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    QueuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CalledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CounterId = table.Column<Guid>(type: "uuid", nullable: true),
                    TargetCounterId = table.Column<Guid>(type: "uuid", nullable: true),
                    StaffMemberId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    TrackerToken = table.Column<string>(type: "character(22)", fixedLength: true, maxLength: 22, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_queue_tickets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_queue_tickets_queue_branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "queue_branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_queue_tickets_queue_counters_CounterId",
                        column: x => x.CounterId,
                        principalTable: "queue_counters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_queue_tickets_queue_counters_TargetCounterId",
                        column: x => x.TargetCounterId,
                        principalTable: "queue_counters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_queue_tickets_queue_services_IssuedServiceId",
                        column: x => x.IssuedServiceId,
                        principalTable: "queue_services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_queue_tickets_queue_services_ServiceId",
                        column: x => x.ServiceId,
                        principalTable: "queue_services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "queue_ticket_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CounterId = table.Column<Guid>(type: "uuid", nullable: true),
                    ServiceId = table.Column<Guid>(type: "uuid", nullable: true),
                    StaffMemberId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_queue_ticket_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_queue_ticket_events_queue_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "queue_tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_queue_counter_services_ServiceId",
                table: "queue_counter_services",
                column: "ServiceId");

            migrationBuilder.CreateIndex(
                name: "IX_queue_counters_BranchId_WindowNumber",
                table: "queue_counters",
                columns: new[] { "BranchId", "WindowNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_queue_services_BranchId_Prefix",
                table: "queue_services",
                columns: new[] { "BranchId", "Prefix" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_queue_ticket_events_TicketId_OccurredAt",
                table: "queue_ticket_events",
                columns: new[] { "TicketId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_BranchId_Status_QueuedAt",
                table: "queue_tickets",
                columns: new[] { "BranchId", "Status", "QueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_IssuedServiceId_ServiceDay_Sequence",
                table: "queue_tickets",
                columns: new[] { "IssuedServiceId", "ServiceDay", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_one_current_per_counter",
                table: "queue_tickets",
                column: "CounterId",
                unique: true,
                filter: "\"Status\" IN ('Called', 'Serving')");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_ServiceId_Status_FinishedAt",
                table: "queue_tickets",
                columns: new[] { "ServiceId", "Status", "FinishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_TargetCounterId",
                table: "queue_tickets",
                column: "TargetCounterId");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_TrackerToken",
                table: "queue_tickets",
                column: "TrackerToken",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "queue_counter_services");

            migrationBuilder.DropTable(
                name: "queue_ticket_events");

            migrationBuilder.DropTable(
                name: "queue_tickets");

            migrationBuilder.DropTable(
                name: "queue_counters");

            migrationBuilder.DropTable(
                name: "queue_services");

            migrationBuilder.DropTable(
                name: "queue_branches");
        }
    }
}
