namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// "The log advanced to position P": wakes readers of the event log (subscriptions, webhook dispatch) when the
/// sequencer commits a new head, on this instance or (with <c>Redis:ConnectionString</c>) on any instance. It only
/// wakes: the database stays the source of truth, so a reader always re-reads the log after waking.
/// <para>
/// The pattern that never misses an event: remember <c>h = Head</c>, read the log after your cursor, deliver, and
/// when you have caught up call <c>await WaitAsync(h, ct)</c>; it returns at once if the head moved past <c>h</c>
/// meanwhile. A spurious wake (another program's events; positions are global) costs one empty read.
/// </para>
/// Registered as a singleton (<see cref="EventWakeups"/> is the implementation).
/// </summary>
public interface IEventWakeups
{
    /// <summary>The highest position this instance knows to be sequenced (0 until the first sequencer pass or wake-up).</summary>
    long Head { get; }

    /// <summary>Completes, with the head then known, as soon as <see cref="Head"/> is greater than <paramref name="beyondPosition"/>.</summary>
    ValueTask<long> WaitAsync(long beyondPosition, CancellationToken ct);
}

/// <summary>The in-process signal, with an optional broadcast to other instances (<see cref="RedisEventRelay"/>).</summary>
public sealed class EventWakeups : IEventWakeups
{
    private readonly Lock _gate = new();
    private long _head;
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set by the Redis relay when configured: tells the other instances about a head this instance sequenced.</summary>
    internal Func<long, Task>? Broadcast { get; set; }

    public long Head => Volatile.Read(ref _head);

    public async ValueTask<long> WaitAsync(long beyondPosition, CancellationToken ct)
    {
        while (true)
        {
            // The signal first, then the head: an advance in between completes this signal, so the loop goes round.
            var advanced = Volatile.Read(ref _advanced);
            var head = Head;
            if (head > beyondPosition)
                return head;
            await advanced.Task.WaitAsync(ct);
        }
    }

    /// <summary>Moves the known head forward (never back) and wakes every waiter; called for local sequencing and for Redis messages.</summary>
    public void Advance(long head)
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            if (head <= _head)
                return;
            Volatile.Write(ref _head, head);
            woken = _advanced;
            Volatile.Write(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        woken.TrySetResult();
    }

    /// <summary>The sequencer's announcement: advances locally and, when this instance moved the head, broadcasts it.</summary>
    internal async Task PublishAsync(long head, bool broadcast)
    {
        var before = Head;
        Advance(head);
        if (broadcast && head > before && Broadcast is { } send)
            await send(head);
    }
}
