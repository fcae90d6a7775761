using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Customers.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BranchId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<byte[]>(type: "BLOB", maxLength: 512, nullable: false),
                    Phone = table.Column<byte[]>(type: "BLOB", maxLength: 128, nullable: false),
                    PhoneIndex = table.Column<byte[]>(type: "BLOB", maxLength: 8, nullable: false),
                    PhoneLastFour = table.Column<byte[]>(type: "BLOB", maxLength: 4, nullable: false),
                    IdNumber = table.Column<byte[]>(type: "BLOB", maxLength: 128, nullable: true),
                    IdNumberIndex = table.Column<byte[]>(type: "BLOB", maxLength: 8, nullable: true),
                    Note = table.Column<byte[]>(type: "BLOB", maxLength: 4096, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
