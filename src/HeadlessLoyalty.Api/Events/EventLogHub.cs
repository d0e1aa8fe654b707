using System.Collections.Immutable;
using System.Threading.Channels;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// The live fan-out of the event log on this instance: ONE reader follows the log (all programs) and hands every new
/// event to the live subscriptions it concerns, so a new event costs one database read however many subscribers
/// there are. A subscription only reads the database itself while it replays from its cursor (see
/// <see cref="EventLogStream"/>).
/// <para>
/// The hand-over from replay to live has no gap and no duplicate: a subscription registers first (<see cref="Register"/>
/// returns the position the hub has handed out through, and every later event reaches the registration's queue), then
/// replays from the database until it has read everything there (which includes every position up to the
/// registration point, since the hub only hands out committed, positioned events), then drains its queue skipping
/// positions it already emitted. Positions only grow (see <see cref="EventSequencer"/>), so "after the cursor" is exact.
/// </para>
/// <para>
/// A registration whose queue is full (a consumer that cannot keep up) is completed and dropped: its subscription
/// goes back to reading the database from its own cursor, and registers again once it has caught up. The hub never
/// waits for a subscriber.
/// </para>
/// </summary>
public sealed class EventLogHub(IServiceScopeFactory scopes, IEventWakeups wakeups, ILogger<EventLogHub> logger) : BackgroundService
{
    /// <summary>Events read per database round trip.</summary>
    internal const int ReadBatch = 500;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ImmutableArray<LiveRegistration> _registrations = [];
    private long _handedOut;

    private long _overflows;

    /// <summary>Live registrations right now (diagnostics and tests).</summary>
    public int RegistrationCount => _registrations.Length;

    /// <summary>Registrations dropped because their queue was full (their subscriptions went back to reading the database).</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>
    /// Registers a live subscription of <paramref name="programId"/> (filtered by type and member) and returns its
    /// queue. Every event positioned after the returned registration's <see cref="LiveRegistration.From"/> that
    /// matches reaches the queue, in position order, until the queue overflows (it is then completed) or the
    /// registration is disposed. Waits for the hub's first read of the head.
    /// </summary>
    public async Task<LiveRegistration> RegisterAsync(Guid programId, IReadOnlySet<string>? types, Guid? memberId, int capacity, CancellationToken ct)
    {
        await _started.Task.WaitAsync(ct);
        lock (_gate)
        {
            var registration = new LiveRegistration(this, programId, types, memberId, capacity, _handedOut);
            _registrations = _registrations.Add(registration);
            return registration;
        }
    }

    internal void Unregister(LiveRegistration registration)
    {
        lock (_gate)
            _registrations = _registrations.Remove(registration);
        registration.Complete();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_started.Task.IsCompleted)
                {
                    _handedOut = await ReadHeadAsync(stoppingToken);
                    _started.TrySetResult();
                }
                var known = wakeups.Head;
                while (await PassAsync(stoppingToken) == ReadBatch)
                {
                }
                if (failing)
                    logger.LogInformation("The live event fan-out reads the log again.");
                failing = false;
                await wakeups.WaitAsync(Math.Max(known, Volatile.Read(ref _handedOut)), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (!failing)
                    logger.LogWarning(e, "The live event fan-out cannot read the log; retrying with back-off.");
                failing = true;
                try
                {
                    await Task.Delay(backoff, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }
            backoff = TimeSpan.FromMilliseconds(250);
        }
        foreach (var registration in _registrations)
            Unregister(registration);
    }

    /// <summary>One read after what was handed out; returns how many events it read.</summary>
    private async Task<int> PassAsync(CancellationToken ct)
    {
        var after = Volatile.Read(ref _handedOut);
        if (_registrations.IsEmpty)
        {
            // Nobody listens: skip ahead without reading. A later registration starts from here and replays the rest.
            var head = wakeups.Head;
            lock (_gate)
                if (_registrations.IsEmpty && head > _handedOut)
                    Volatile.Write(ref _handedOut, head);
            if (_registrations.IsEmpty)
                return 0;
            after = Volatile.Read(ref _handedOut);
        }
        List<DomainEvent> batch;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>();
            batch = await db.DomainEvents.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.Position > after)
                .OrderBy(e => e.Position)
                .Take(ReadBatch)
                .ToListAsync(ct);
        }
        if (batch.Count == 0)
            return 0;
        var views = batch.Select(EventView.Of).ToList();
        lock (_gate)
        {
            foreach (var registration in _registrations)
                foreach (var view in views)
                    if (!registration.Offer(view))
                    {
                        Interlocked.Increment(ref _overflows);
                        _registrations = _registrations.Remove(registration);
                        registration.Complete();
                        break;
                    }
            Volatile.Write(ref _handedOut, batch[^1].Position!.Value);
        }
        return batch.Count;
    }

    private async Task<long> ReadHeadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>();
        return await db.DomainEvents.IgnoreQueryFilters().MaxAsync(e => e.Position, ct) ?? 0;
    }
}

/// <summary>One live subscription's place in the <see cref="EventLogHub"/>: a bounded queue of the events it wants.</summary>
public sealed class LiveRegistration : IDisposable
{
    private readonly EventLogHub _hub;
    private readonly Guid _programId;
    private readonly IReadOnlySet<string>? _types;
    private readonly Guid? _memberId;
    private readonly Channel<EventView> _queue;
    private readonly int _capacity;
    private int _queued;

    internal LiveRegistration(EventLogHub hub, Guid programId, IReadOnlySet<string>? types, Guid? memberId, int capacity, long from)
    {
        (_hub, _programId, _types, _memberId, From) = (hub, programId, types is { Count: > 0 } ? types : null, memberId, from);
        // Unbounded with its own count (the bound is _capacity): no lock per event, unlike a bounded channel, which
        // matters when the hub hands one event to thousands of registrations.
        _queue = Channel.CreateUnbounded<EventView>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _capacity = Math.Max(1, capacity);
    }

    /// <summary>The log position (all programs) the hub had handed out through when this registered: the queue gets only later events.</summary>
    public long From { get; }

    /// <summary>The queued events, in position order; ends when the queue overflowed, the registration was disposed or the hub stopped.</summary>
    public async IAsyncEnumerable<EventView> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var view in _queue.Reader.ReadAllAsync(ct))
        {
            Interlocked.Decrement(ref _queued);
            yield return view;
        }
    }

    /// <summary>False when the event matches and the queue is full.</summary>
    internal bool Offer(EventView view)
    {
        var e = view.Event;
        if (e.ProgramId != _programId || (_memberId is { } member && e.MemberId != member) || (_types is not null && !_types.Contains(e.Type)))
            return true;
        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }
        if (!_queue.Writer.TryWrite(view))
            Interlocked.Decrement(ref _queued); // completed (disposed): nobody reads it any more, not an overflow
        return true;
    }

    internal void Complete() => _queue.Writer.TryComplete();

    public void Dispose() => _hub.Unregister(this);
}
