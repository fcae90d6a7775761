using System.Runtime.CompilerServices;
using Guichet.Queueing.Calling;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Live;

/// <summary>
/// Renders a call for the display boards once, however many boards the branch has open: every
/// board's stream receives the same <see cref="QueueChange"/> and awaits the same render (one
/// read of the masked-name setting, one decryption of the name), instead of each board asking
/// the database on every call.
/// </summary>
internal sealed class DisplayCallRenderer(IServiceScopeFactory scopes)
{
    // Keyed by the change itself (reference identity): a render lives as long as some stream still holds its change.
    // Lazy: two boards reading the same change at the same instant still start one render.
    private readonly ConditionalWeakTable<QueueChange, Lazy<Task<DisplayCallView>>> renders = [];

    /// <summary>The call as boards show it; null when the change is not a call.</summary>
    public Task<DisplayCallView>? RenderAsync(QueueChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Call is null ? null : renders.GetValue(change, c => new(() => RenderOnceAsync(c))).Value;
    }

    // Not tied to the board that asked first: if that board goes away, the others still get the call.
    private async Task<DisplayCallView> RenderOnceAsync(QueueChange change)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TicketDesk>()
            .DisplayCallAsync(change.BranchId, change.TicketId, change.Call!, CancellationToken.None);
    }
}
