using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Queueing.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CounterHoldingsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_CounterId_Status",
                table: "queue_tickets",
                columns: new[] { "CounterId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_CounterId_Status",
                table: "queue_tickets");
        }
    }
}
