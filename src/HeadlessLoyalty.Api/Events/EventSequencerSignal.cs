using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// Wakes this instance's sequencer right after a transaction commits, so an event gets its position within
/// milliseconds instead of at the next poll. Registered as an EF interceptor on every context: it fires after
/// commit (never before: an uncommitted event is invisible to the sequencer anyway). Every committed transaction
/// nudges, not only those that staged events: the set-based expiry run inserts its events with raw SQL, and a nudge
/// that finds nothing waiting costs one indexed query. Nudges coalesce: at most one is pending.
/// </summary>
public sealed class EventSequencerSignal : IDbTransactionInterceptor, ISaveChangesInterceptor
{
    private readonly Channel<bool> _nudges = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks the sequencer for a pass now.</summary>
    public void Nudge() => _nudges.Writer.TryWrite(true);

    /// <summary>Waits for a nudge, at most <paramref name="timeout"/> (the polling fallback); false on timeout.</summary>
    internal async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_nudges.Reader.TryRead(out _))
            return true;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            await _nudges.Reader.WaitToReadAsync(timer.Token);
            return _nudges.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    // A SaveChanges outside an explicit transaction commits on its own (EF skips the transaction for one statement).
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
            Nudge();
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SavedChanges(eventData, result));

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Nudge();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Nudge();
        return Task.CompletedTask;
    }
}
