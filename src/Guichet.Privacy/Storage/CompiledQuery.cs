using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Guichet.Privacy.Storage;

/// <summary>
/// An EF Core compiled query, compiled once for each model it runs against. EF Core binds a
/// compiled query to the first model that executes it; a server has one (its provider's), but a
/// process may hold both the SQLite and the PostgreSQL model (the test suites do). Shared by
/// the modules, like <see cref="GroupCommit{TJob, TResult}"/>.
/// </summary>
/// <typeparam name="TQuery">The delegate <c>EF.CompileAsyncQuery</c> returns.</typeparam>
/// <param name="compile">Compiles the query; called once per model.</param>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConcurrentDictionary<IModel, TQuery> byModel = new(ReferenceEqualityComparer.Instance);

    /// <summary>The query compiled for this context's model.</summary>
    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return byModel.GetOrAdd(db.Model, _ => compile());
    }
}
