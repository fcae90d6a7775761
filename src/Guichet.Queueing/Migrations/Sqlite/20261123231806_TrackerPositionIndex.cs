using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Queueing.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TrackerPositionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_ServiceId_Status_Priority",
                table: "queue_tickets");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_ServiceId_Status_Priority_QueuedAt_Sequence",
                table: "queue_tickets",
                columns: new[] { "ServiceId", "Status", "Priority", "QueuedAt", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_ServiceId_Status_Priority_QueuedAt_Sequence",
                table: "queue_tickets");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_ServiceId_Status_Priority",
                table: "queue_tickets",
                columns: new[] { "ServiceId", "Status", "Priority" });
        }
    }
}
