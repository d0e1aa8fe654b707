using GraphQL;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.GraphQL;
using HeadlessLoyalty.GraphQL.Subscriptions;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// The source of one <c>loyaltyEvents</c> subscription: replays the program's log after the cursor from the database
/// (in batches, paced by the client through <see cref="GraphQLOutboundFlow"/>), then follows it live through the
/// <see cref="EventLogHub"/>; a live queue that overflows sends it back to replaying from its own cursor. Replay and
/// live both emit only positions above the last one emitted, so the switch has no gap and no duplicate.
/// While replaying, each read first checks the cursor against retention: a subscription that falls behind what
/// retention deleted ends with EVENTS_CURSOR_EXPIRED rather than skipping events.
/// </summary>
internal sealed class EventLogStream(IServiceProvider operationScope, Guid programId, long after, IReadOnlySet<string>? types, Guid? memberId)
    : IObservable<EventView>
{
    public IDisposable Subscribe(IObserver<EventView> observer)
    {
        var stop = new CancellationTokenSource();
        _ = Task.Run(() => RunAsync(observer, stop.Token));
        return new Stopper(stop);
    }

    private async Task RunAsync(IObserver<EventView> observer, CancellationToken ct)
    {
        var hub = operationScope.GetRequiredService<EventLogHub>();
        var flow = operationScope.GetRequiredService<GraphQLOutboundFlow>();
        var options = operationScope.GetRequiredService<IOptions<EventsOptions>>().Value;
        var batch = Math.Max(1, options.SubscriptionReadBatch);
        var cursor = after;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var live = await hub.RegisterAsync(programId, types, memberId, Math.Max(1, options.SubscriptionLiveQueue), ct);
                // Replay: everything in the database after the cursor, which covers every position up to live.From.
                while (true)
                {
                    IReadOnlyList<DomainEvent> page;
                    await using (var read = operationScope.CreateChildScope())
                    {
                        var db = read.ServiceProvider.GetRequiredService<LoyaltyDbContext>();
                        page = await EventLog.ReadRetainedAsync(db, cursor, batch, types, memberId, ct);
                    }
                    foreach (var e in page)
                    {
                        await flow.WaitForRoomAsync(ct);
                        observer.OnNext(EventView.Of(e));
                        cursor = e.Position!.Value;
                    }
                    if (page.Count < batch)
                        break;
                }
                // Live: the hub's queue, minus what the replay already emitted. Ends when the queue overflowed.
                await foreach (var view in live.ReadAllAsync(ct))
                {
                    if (view.Event.Position <= cursor)
                        continue;
                    await flow.WaitForRoomAsync(ct);
                    observer.OnNext(view);
                    cursor = view.Event.Position!.Value;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (LoyaltyException e)
        {
            observer.OnError(new ExecutionError(e.Message) { Code = e.Code });
        }
        catch (Exception e)
        {
            observer.OnError(e);
        }
    }

    private sealed class Stopper(CancellationTokenSource stop) : IDisposable
    {
        // Cancel only: the loop may still be unwinding with the token (the source is garbage once it has).
        public void Dispose() => stop.Cancel();
    }
}
