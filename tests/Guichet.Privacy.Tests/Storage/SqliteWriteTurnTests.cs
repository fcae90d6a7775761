using Guichet.Privacy.Storage;

namespace Guichet.Privacy.Tests.Storage;

public sealed class SqliteWriteTurnTests
{
    [Fact]
    public void Connection_strings_naming_one_file_share_its_turn_and_other_files_do_not()
    {
        var directory = Path.Combine(Path.GetTempPath(), "guichet-turn-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(directory, "guichet.db");
        var sameFileOtherSpelling = Path.Combine(directory, "keys", "..", "guichet.db");

        var turn = SqliteWriteTurn.For($"Data Source={file}");

        Assert.NotNull(turn);
        Assert.Same(turn, SqliteWriteTurn.For($"Data Source={sameFileOtherSpelling};Pooling=True"));
        Assert.NotSame(turn, SqliteWriteTurn.For($"Data Source={Path.Combine(directory, "other.db")}"));
    }

    [Fact]
    public void A_private_in_memory_database_has_no_turn_and_a_shared_one_has_one_per_name()
    {
        Assert.Null(SqliteWriteTurn.For("Data Source=:memory:"));
        var shared = SqliteWriteTurn.For("Data Source=turn-test;Mode=Memory;Cache=Shared");
        Assert.NotNull(shared);
        Assert.Same(shared, SqliteWriteTurn.For("Data Source=turn-test;Mode=Memory;Cache=Shared"));
        Assert.NotSame(shared, SqliteWriteTurn.For("Data Source=other-turn-test;Mode=Memory;Cache=Shared"));
    }

    [Fact]
    public async Task A_second_writer_waits_for_the_turn_and_gets_it_as_soon_as_the_first_gives_it_back()
    {
        var turn = SqliteWriteTurn.For($"Data Source={Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db")}")!;
        var first = await turn.EnterAsync(CancellationToken.None);

        var second = turn.EnterAsync(CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
