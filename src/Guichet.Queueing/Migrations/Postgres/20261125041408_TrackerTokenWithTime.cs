using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Queueing.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TrackerTokenWithTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "TrackerToken",
                table: "queue_tickets",
                type: "character varying(29)",
                maxLength: 29,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character(22)",
                oldFixedLength: true,
                oldMaxLength: 22);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "TrackerToken",
                table: "queue_tickets",
                type: "character(22)",
                fixedLength: true,
                maxLength: 22,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(29)",
                oldMaxLength: 29);
        }
    }
}
