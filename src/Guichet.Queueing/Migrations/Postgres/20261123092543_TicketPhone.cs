using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Queueing.Migrations.Postgres
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
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Phone",
                table: "queue_tickets",
                type: "bytea",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PhoneIndex",
                table: "queue_tickets",
                type: "bytea",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PhoneLastFour",
                table: "queue_tickets",
                type: "bytea",
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
