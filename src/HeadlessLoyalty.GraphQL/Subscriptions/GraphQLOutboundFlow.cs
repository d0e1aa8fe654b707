namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>
/// Lets a subscription source pace itself by its consumer. An <see cref="IObservable{T}"/> has no back-pressure, and
/// graphql-dotnet starts resolving every event as soon as the source emits it, so a source that replays a backlog as
/// fast as it can read would overflow a normal client's bounded outbox (and get it closed as a slow consumer).
/// Such a source takes this scoped service from the operation's scope when it is subscribed and awaits
/// <see cref="WaitForRoomAsync"/> before each event: it resumes once the connection's queued messages plus the
/// events still being resolved fall under half the outbox. Outside a streaming transport it never waits.
/// </summary>
public sealed class GraphQLOutboundFlow
{
    private Func<int>? _queued;
    private int _limit;
    private int _inFlight;

    internal void Attach(Func<int> queued, int capacity)
    {
        _queued = queued;
        _limit = Math.Max(1, capacity / 2);
    }

    /// <summary>Call before emitting each event; completes when there is room for it.</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        if (_queued is not { } queued)
            return;
        // Polling only while the consumer is behind: a live source at the consumer's pace never loops.
        while (queued() + Volatile.Read(ref _inFlight) >= _limit)
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _inFlight);
    }

    /// <summary>The transport has queued one resolved event of this operation.</summary>
    internal void Delivered()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _inFlight);
            if (current == 0)
                return; // events emitted without waiting are not counted
        }
        while (Interlocked.CompareExchange(ref _inFlight, current - 1, current) != current);
    }
}
