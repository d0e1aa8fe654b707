using System.Collections.Concurrent;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>
/// Delivers the event log to the webhook subscriptions. Per subscription, in position order: the event after the
/// durable cursor is POSTed; a 2xx moves the cursor past it (in the same SaveChanges as the delivery's log row), a
/// failure schedules the next attempt (<see cref="WebhookRetryRules"/>) and holds the later events, so a receiver
/// sees a subscription's events in order. The cursor moves only after a receiver's 2xx: a crash between the two
/// re-delivers the event after restart (at-least-once; receivers deduplicate on the event id).
/// <para>
/// One dispatcher at a time per subscription, across instances: a pass first takes a lease
/// (<see cref="WebhookSubscription.LeaseUntil"/>, claimed with the row's concurrency token). A crashed holder's lease
/// runs out after <see cref="Lease"/>.
/// </para>
/// <see cref="WebhookDispatcherService"/> runs it; tests call <see cref="RunDueAsync"/> directly.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSender sender, WebhookSecrets secrets, TimeProvider clock,
    IOptions<WebhooksOptions> options, ILogger<WebhookDispatcher> log)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>How long a redeliverWebhook may wait for the receiver (quick retries included).</summary>
    public static readonly TimeSpan RedeliveryBudget = TimeSpan.FromSeconds(8);

    /// <summary>Per subscription, the global head up to which it is known to have nothing to deliver (in memory: an optimisation only).</summary>
    private readonly ConcurrentDictionary<Guid, long> _idleThrough = new();

    /// <summary>One pass over every due subscription of every program; returns the number of HTTP attempts made.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct = default)
    {
        List<(Guid Id, Guid ProgramId)> due;
        long head;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>();
            // The global head first: every position up to it is committed when it is visible (one sequencer transaction).
            head = await db.DomainEvents.IgnoreQueryFilters().MaxAsync(e => e.Position, ct) ?? 0;
            var now = clock.GetUtcNow();
            due = (await db.WebhookSubscriptions.IgnoreQueryFilters().AsNoTracking()
                    .Where(s => s.Status == WebhookStatus.Active && s.Cursor < head
                                && (s.NextAttemptAt == null || s.NextAttemptAt <= now) && (s.LeaseUntil == null || s.LeaseUntil <= now))
                    .Select(s => new { s.Id, s.ProgramId })
                    .ToListAsync(ct))
                .Where(s => !_idleThrough.TryGetValue(s.Id, out var idle) || idle < head)
                .Select(s => (s.Id, s.ProgramId)).ToList();
        }
        var attempts = 0;
        // A slow receiver holds only its own subscription: a few run side by side.
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (s, token) =>
            Interlocked.Add(ref attempts, await RunSubscriptionAsync(s.Id, s.ProgramId, head, token)));
        return attempts;
    }

    private async Task<int> RunSubscriptionAsync(Guid id, Guid programId, long head, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(programId);
        var db = scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>();
        var opts = options.Value;

        var sub = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, ct);
        var now = clock.GetUtcNow();
        if (sub is null || sub.Status != WebhookStatus.Active || sub.NextAttemptAt > now || sub.LeaseUntil > now)
            return 0;
        sub.LeaseUntil = now + Lease;
        sub.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return 0; // another dispatcher (or an admin's change) got there first
        }

        var attempts = 0;
        var events = await EventLog.ReadAsync(db, sub.Cursor, opts.BatchSize, sub.TypeList, null, ct);
        if (events.Count == 0)
            _idleThrough[id] = head;
        var secret = events.Count > 0 ? secrets.Unprotect(sub.ProtectedSecret) : "";
        foreach (var e in events)
        {
            var attempt = await db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == id && d.EventId == e.Id, ct) + 1;
            var deliveryId = DomainEvents.NextId(clock.GetUtcNow()); // monotonic: the log orders by it within one instant
            var result = await sender.SendAsync(sub.Url, secret, WebhookMessage.Serialize(e), e, deliveryId, attempt, ct);
            now = clock.GetUtcNow();
            db.WebhookDeliveries.Add(Record(deliveryId, sub, e, attempt, result, manual: false, now));
            sub.LastDeliveryAt = now;
            sub.LastStatusCode = result.StatusCode;
            if (result.Succeeded)
            {
                sub.Cursor = e.Position!.Value;
                sub.ConsecutiveFailures = 0;
                sub.NextAttemptAt = null;
            }
            else
                Fail(db, sub, result, now, opts);
            sub.Version++;
            attempts++;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // An admin changed the subscription meanwhile: keep the log row, leave the cursor (the event goes again).
                db.ChangeTracker.Clear();
                db.WebhookDeliveries.Add(Record(deliveryId, sub, e, attempt, result, manual: false, now));
                await db.SaveChangesAsync(ct);
                return attempts;
            }
            if (!result.Succeeded)
                break;
        }
        sub.LeaseUntil = null;
        sub.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Changed meanwhile; the lease runs out on its own.
        }
        return attempts;
    }

    private void Fail(LoyaltyDbContext db, WebhookSubscription sub, WebhookAttemptResult result, DateTimeOffset now, WebhooksOptions opts)
    {
        sub.ConsecutiveFailures++;
        if (!WebhookRetryRules.ShouldDisable(sub.ConsecutiveFailures, opts.DisableAfterFailures))
        {
            sub.NextAttemptAt = now + WebhookRetryRules.NextDelay(opts.Schedule, sub.ConsecutiveFailures, result.RetryAfter);
            return;
        }
        var reason = $"{sub.ConsecutiveFailures} failed attempts in a row; last: {result.Error ?? $"HTTP {result.StatusCode}"}";
        if (reason.Length > WebhookSubscription.MaxDescriptionLength)
            reason = reason[..WebhookSubscription.MaxDescriptionLength];
        sub.Status = WebhookStatus.Disabled;
        sub.DisabledReason = reason;
        sub.DisabledAt = now;
        sub.NextAttemptAt = null;
        DomainEvents.Stage(db, EventTypes.WebhookDisabled, null,
            new WebhookDisabledPayload(sub.Id, sub.Url, reason, sub.ConsecutiveFailures, sub.Cursor), now, now);
        log.LogWarning("Webhook subscription {SubscriptionId} of program {ProgramId} ({Url}) disabled: {Reason}", sub.Id, sub.ProgramId, sub.Url, reason);
    }

    internal static WebhookDelivery Record(Guid id, WebhookSubscription sub, DomainEvent e, int attempt, WebhookAttemptResult result, bool manual, DateTimeOffset at) => new()
    {
        Id = id,
        ProgramId = sub.ProgramId,
        SubscriptionId = sub.Id,
        EventId = e.Id,
        EventPosition = e.Position ?? 0,
        EventType = e.Type,
        Attempt = attempt,
        Succeeded = result.Succeeded,
        StatusCode = result.StatusCode,
        DurationMs = result.DurationMs,
        Error = result.Error,
        Manual = manual,
        AttemptedAt = at,
    };

    /// <summary>
    /// An admin's redelivery of one event to one subscription, now, whatever its status: recorded in the delivery log
    /// (manual), without moving the cursor or the failure count (enable a disabled subscription to resume it).
    /// </summary>
    public async Task<WebhookDelivery> RedeliverAsync(LoyaltyDbContext db, Guid subscriptionId, Guid eventId, CancellationToken ct)
    {
        var sub = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, ct)
            ?? throw new WebhookSubscriptionNotFoundException("subscriptionId");
        var e = await db.DomainEvents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == eventId && x.Position != null, ct)
            ?? throw new WebhookEventNotFoundException();
        var attempt = await db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == sub.Id && d.EventId == e.Id, ct) + 1;
        var deliveryId = DomainEvents.NextId(clock.GetUtcNow()); // monotonic: the log orders by it within one instant
        // Inside a GraphQL request: bounded below its execution timeout, so the attempt is logged even when the receiver hangs.
        var result = await sender.SendAsync(sub.Url, secrets.Unprotect(sub.ProtectedSecret), WebhookMessage.Serialize(e), e, deliveryId, attempt, ct, RedeliveryBudget);
        var delivery = Record(deliveryId, sub, e, attempt, result, manual: true, clock.GetUtcNow());
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        return delivery;
    }
}
