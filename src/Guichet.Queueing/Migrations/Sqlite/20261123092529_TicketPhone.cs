using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Queueing.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TicketPhone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CustomerSubjectId",
                table: "queue_tickets",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Phone",
                table: "queue_tickets",
                type: "BLOB",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PhoneIndex",
                table: "queue_tickets",
                type: "BLOB",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PhoneLastFour",
                table: "queue_tickets",
                type: "BLOB",
                maxLength: 4,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_PhoneIndex",
                table: "queue_tickets",
                column: "PhoneIndex");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_PhoneLastFour",
                table: "queue_tickets",
                column: "PhoneLastFour");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_PhoneIndex",
                table: "queue_tickets");

            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_PhoneLastFour",
                table: "queue_tickets");

            migrationBuilder.DropColumn(
                name: "CustomerSubjectId",
                table: "queue_tickets");

            migrationBuilder.DropColumn(
                name: "Phone",
                table: "queue_tickets");

            migrationBuilder.DropColumn(
                name: "PhoneIndex",
                table: "queue_tickets");

            migrationBuilder.DropColumn(
                name: "PhoneLastFour",
                table: "queue_tickets");
        }
    }
}
