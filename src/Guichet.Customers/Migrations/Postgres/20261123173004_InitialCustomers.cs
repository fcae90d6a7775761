using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Customers.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialCustomers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "customers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubjectId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BranchId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<byte[]>(type: "bytea", maxLength: 512, nullable: false),
                    Phone = table.Column<byte[]>(type: "bytea", maxLength: 128, nullable: false),
                    PhoneIndex = table.Column<byte[]>(type: "bytea", maxLength: 8, nullable: false),
                    PhoneLastFour = table.Column<byte[]>(type: "bytea", maxLength: 4, nullable: false),
                    IdNumber = table.Column<byte[]>(type: "bytea", maxLength: 128, nullable: true),
                    IdNumberIndex = table.Column<byte[]>(type: "bytea", maxLength: 8, nullable: true),
                    Note = table.Column<byte[]>(type: "bytea", maxLength: 4096, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customers", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_customers_IdNumberIndex",
                table: "customers",
                column: "IdNumberIndex");

            migrationBuilder.CreateIndex(
                name: "IX_customers_PhoneIndex",
                table: "customers",
                column: "PhoneIndex");

            migrationBuilder.CreateIndex(
                name: "IX_customers_PhoneLastFour",
                table: "customers",
                column: "PhoneLastFour");

            migrationBuilder.CreateIndex(
                name: "IX_customers_SubjectId",
                table: "customers",
                column: "SubjectId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customers");
        }
    }
}
