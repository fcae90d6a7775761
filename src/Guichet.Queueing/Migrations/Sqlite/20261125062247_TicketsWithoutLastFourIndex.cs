using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Queueing.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TicketsWithoutLastFourIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_PhoneLastFour",
                table: "queue_tickets");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_PhoneLastFour",
                table: "queue_tickets",
                column: "PhoneLastFour");
        }
    }
}
