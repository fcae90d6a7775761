using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Queueing.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TicketIndexesWithoutEmptyKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_CounterId_Status",
                table: "queue_tickets");

            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_ServiceId_Status_FinishedAt",
                table: "queue_tickets");

            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_TargetCounterId",
                table: "queue_tickets");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_CounterId_Status",
                table: "queue_tickets",
                columns: new[] { "CounterId", "Status" },
                filter: "\"CounterId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_ServiceId_Status_FinishedAt",
                table: "queue_tickets",
                columns: new[] { "ServiceId", "Status", "FinishedAt" },
                filter: "\"FinishedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_TargetCounterId",
                table: "queue_tickets",
                column: "TargetCounterId",
                filter: "\"TargetCounterId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_CounterId_Status",
                table: "queue_tickets");

            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_ServiceId_Status_FinishedAt",
                table: "queue_tickets");

            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_TargetCounterId",
                table: "queue_tickets");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_CounterId_Status",
                table: "queue_tickets",
                columns: new[] { "CounterId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_ServiceId_Status_FinishedAt",
                table: "queue_tickets",
                columns: new[] { "ServiceId", "Status", "FinishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_TargetCounterId",
                table: "queue_tickets",
                column: "TargetCounterId");
        }
    }
}
