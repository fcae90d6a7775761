using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Queueing.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CallingOrderIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_BranchId_Status_QueuedAt",
                table: "queue_tickets");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_BranchId_Status_Priority_QueuedAt_Sequence_Id",
                table: "queue_tickets",
                columns: new[] { "BranchId", "Status", "Priority", "QueuedAt", "Sequence", "Id" },
                descending: new[] { false, false, true, false, false, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_queue_tickets_BranchId_Status_Priority_QueuedAt_Sequence_Id",
                table: "queue_tickets");

            migrationBuilder.CreateIndex(
                name: "IX_queue_tickets_BranchId_Status_QueuedAt",
                table: "queue_tickets",
                columns: new[] { "BranchId", "Status", "QueuedAt" });
        }
    }
}
