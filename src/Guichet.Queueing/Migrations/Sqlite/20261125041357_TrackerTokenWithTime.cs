using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guichet.Queueing.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TrackerTokenWithTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Tracker tokens grow from 22 to 29 characters (docs/queue.md). SQLite stores TEXT
            // without a length, so only the model changes here; PostgreSQL's column is widened.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
