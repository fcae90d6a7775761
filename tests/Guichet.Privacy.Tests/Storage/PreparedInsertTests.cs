using Guichet.Privacy.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Privacy.Tests.Storage;

// Whether rows land as SaveChanges stores them, column by column, is checked on the queue's
// real tickets on SQLite and PostgreSQL (Guichet.Queueing.Tests, StoredTicketRows).
public sealed class PreparedInsertTests : IDisposable
{
    private readonly SqliteConnection connection = new("Data Source=:memory:");

    public PreparedInsertTests() => connection.Open();

    [Fact]
    public async Task Rows_are_inserted_in_order_and_the_database_numbers_them()
    {
        await using var db = await NewContextAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await PreparedInsert.InsertAsync(db, [new Note { Text = "first", Kind = NoteKind.Plain }, new Note { Text = "second", Kind = NoteKind.Urgent }], CancellationToken.None);
            await transaction.CommitAsync();
        }

        var stored = await db.Notes.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
        Assert.Equal([(1L, "first", NoteKind.Plain), (2L, "second", NoteKind.Urgent)], stored.Select(n => (n.Id, n.Text, n.Kind)));
    }

    [Fact]
    public async Task Rows_roll_back_with_their_transaction()
    {
        await using var db = await NewContextAsync();
        await using (await db.Database.BeginTransactionAsync())
        {
            await PreparedInsert.InsertAsync(db, [new Note { Text = "never committed" }], CancellationToken.None);
        }

        Assert.Equal(0, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task Without_a_transaction_nothing_is_written()
    {
        await using var db = await NewContextAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PreparedInsert.InsertAsync(db, [new Note { Text = "loose" }], CancellationToken.None));

        Assert.Contains("transaction", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task An_entity_with_a_shadow_property_is_left_to_SaveChanges()
    {
        await using var db = await NewContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PreparedInsert.InsertAsync(db, [new Tagged { Id = 1 }], CancellationToken.None));

        Assert.Contains("shadow", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => connection.Dispose();

    private async Task<NotesContext> NewContextAsync()
    {
        var db = new NotesContext(new DbContextOptionsBuilder<NotesContext>().UseSqlite(connection).Options);
        await db.Database.EnsureCreatedAsync();
        return db;
    }

    private enum NoteKind
    {
        Plain,
        Urgent,
    }

    private sealed class Note
    {
        public long Id { get; set; }

        public required string Text { get; set; }

        public NoteKind Kind { get; set; }
    }

    private sealed class Tagged
    {
        public int Id { get; set; }
    }

    private sealed class NotesContext(DbContextOptions<NotesContext> options) : DbContext(options)
    {
        public DbSet<Note> Notes => Set<Note>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Note>().Property(n => n.Kind).HasConversion<string>();
            modelBuilder.Entity<Tagged>().Property<string>("Label");
            modelBuilder.Entity<Tagged>().Property(t => t.Id).ValueGeneratedNever();
        }
    }
}
