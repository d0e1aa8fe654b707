using System.Text.Json;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Stores.Ingest;

/// <summary>
/// Processes the inbox: every PENDING delivery whose lease is free, oldest first, across programs; the deliveries of
/// one order (or customer, product) one after the other in the order received, different ones side by side. A delivery is
/// claimed with one conditional UPDATE (status still PENDING and no live lease: the one instance whose UPDATE counts a
/// row owns it for <see cref="Lease"/>), handled in its program's scope by <see cref="StoreDeliveryHandler"/>, and
/// finished with its outcome. A process that dies after the store's 2xx leaves the row PENDING: the next pass (at
/// start, or when the lease of a crashed holder runs out) processes it. An unexpected error releases the row for a
/// later pass, up to <see cref="MaxAttempts"/>; a refusal of the engine (a <see cref="LoyaltyException"/>) or a
/// malformed body is FAILED at once with its reason. A FAILED delivery releases its dedupe key, so the same delivery
/// sent again (the store's resend, the reconciliation's back-fill) is processed again.
/// <see cref="StoreDeliveryProcessorService"/> runs it; tests call <see cref="RunPendingAsync"/>.
/// </summary>
public sealed class StoreDeliveryProcessor(IServiceScopeFactory scopes, TimeProvider clock, IOptions<StoreIngestOptions> options, ILogger<StoreDeliveryProcessor> log)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    public const int MaxAttempts = 5;
    private const int BatchSize = 100;

    /// <summary>Processes until no pending delivery is left to claim; returns how many this call finished.</summary>
    public async Task<int> RunPendingAsync(CancellationToken ct = default)
    {
        var total = 0;
        while (!ct.IsCancellationRequested)
        {
            List<(Guid Id, Guid ProgramId, Guid ConnectionId, string? ResourceId)> batch;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>();
                var now = clock.GetUtcNow();
                batch = (await db.StoreDeliveries.IgnoreQueryFilters().AsNoTracking()
                        .Where(d => d.Status == StoreDeliveryStatus.Pending && (d.LeaseUntil == null || d.LeaseUntil <= now))
                        .OrderBy(d => d.ReceivedAt).ThenBy(d => d.Id)
                        .Select(d => new { d.Id, d.ProgramId, d.ConnectionId, d.ResourceId })
                        .Take(BatchSize).ToListAsync(ct))
                    .Select(d => (d.Id, d.ProgramId, d.ConnectionId, d.ResourceId)).ToList();
            }
            if (batch.Count == 0)
                break;
            var finished = 0;
            // One order's deliveries in the order received (a refund after its purchase), different orders side by side.
            var groups = batch.GroupBy(d => (d.ConnectionId, d.ResourceId ?? d.Id.ToString())).Select(g => g.ToList()).ToList();
            await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.ProcessorParallelism), CancellationToken = ct },
                async (group, token) =>
                {
                    foreach (var d in group)
                        if (await ProcessAsync(d.Id, d.ProgramId, token))
                            Interlocked.Increment(ref finished);
                });
            total += finished;
            if (finished == 0)
                break; // everything left is claimed elsewhere or released for a later pass
        }
        return total;
    }

    /// <summary>Claims and processes one delivery; false when another processor holds it (or it is no longer pending).</summary>
    public async Task<bool> ProcessAsync(Guid deliveryId, Guid programId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(programId);
        var db = scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>();
        var now = clock.GetUtcNow();
        var leaseUntil = now + Lease;
        // Not while an earlier delivery of the same order (customer, product) is still pending, wherever it is claimed:
        // one order's deliveries apply in the order received across instances too (a refund never before its purchase).
        var claimed = await db.StoreDeliveries
            .Where(d => d.Id == deliveryId && d.Status == StoreDeliveryStatus.Pending && (d.LeaseUntil == null || d.LeaseUntil <= now))
            .Where(d => d.ResourceId == null || !db.StoreDeliveries.Any(o => o.ConnectionId == d.ConnectionId && o.ResourceId == d.ResourceId
                && o.Status == StoreDeliveryStatus.Pending && o.ReceivedAt < d.ReceivedAt))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, leaseUntil).SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);
        if (claimed == 0)
            return false;

        var delivery = await db.StoreDeliveries.AsNoTracking().FirstAsync(d => d.Id == deliveryId, ct);
        var connection = await db.StoreConnections.AsNoTracking().FirstAsync(c => c.Id == delivery.ConnectionId, ct);
        StoreDeliveryOutcome outcome;
        try
        {
            outcome = connection.Status switch
            {
                StoreConnectionStatus.Paused => StoreDeliveryOutcome.Skipped("The store connection was paused before this delivery was processed: skipped."),
                StoreConnectionStatus.Disconnected => StoreDeliveryOutcome.Skipped("The store connection was disconnected before this delivery was processed: skipped."),
                _ => await StoreDeliveryHandler.HandleAsync(db, clock, connection, delivery.Topic, delivery.Body, ct),
            };
        }
        catch (LoyaltyException e)
        {
            outcome = new(StoreDeliveryStatus.Failed, $"{e.Code}: {e.Message}");
        }
        catch (JsonException e)
        {
            outcome = new(StoreDeliveryStatus.Failed, $"Malformed body: {e.Message}");
        }
        catch (Exception e) when (!ct.IsCancellationRequested && delivery.Attempts < MaxAttempts)
        {
            // The database or a bug: released for a later pass (after a short back-off), up to MaxAttempts.
            log.LogWarning(e, "Store delivery {Id} failed (attempt {Attempt}); it will be retried", deliveryId, delivery.Attempts);
            db.ChangeTracker.Clear();
            var retryAt = clock.GetUtcNow() + TimeSpan.FromSeconds(5 * delivery.Attempts);
            await db.StoreDeliveries.Where(d => d.Id == deliveryId && d.Status == StoreDeliveryStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, retryAt).SetProperty(d => d.Reason, Bound($"Attempt {delivery.Attempts} failed: {e.Message}")), CancellationToken.None);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogError(e, "Store delivery {Id} failed {Attempts} times; marked FAILED", deliveryId, delivery.Attempts);
            outcome = new(StoreDeliveryStatus.Failed, $"Failed {delivery.Attempts} times: {e.Message}");
        }
        db.ChangeTracker.Clear();
        var done = clock.GetUtcNow();
        // A FAILED delivery gives its dedupe key up (the receipt stays): the store's resend, or a reconciliation back-fill of
        // the same state, is then processed again instead of being refused as a duplicate of a delivery that did nothing.
        var failed = outcome.Status == StoreDeliveryStatus.Failed;
        await db.StoreDeliveries.Where(d => d.Id == deliveryId && d.Status == StoreDeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, outcome.Status)
                .SetProperty(d => d.DedupeKey, d => failed ? null : d.DedupeKey)
                // A finished receipt keeps the email's hash, never the address: the raw body (billing email, phone, name)
                // is blanked whatever the outcome, FAILED included (its reason, order id and email hash stay; a replay
                // comes with the store's resend or the reconciliation back-fill, which bring their own body).
                .SetProperty(d => d.Body, "")
                .SetProperty(d => d.Reason, Bound(outcome.Reason))
                .SetProperty(d => d.ProcessedAt, done)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        return true;
    }

    private static string Bound(string reason) => reason.Length <= StoreDelivery.MaxReasonLength ? reason : reason[..(StoreDelivery.MaxReasonLength - 1)] + "…";
}

/// <summary>Runs the <see cref="StoreDeliveryProcessor"/>: at start (drains what a previous process accepted), when an insert signals, and every <see cref="StoreIngestOptions.ProcessorPollInterval"/>.</summary>
public sealed class StoreDeliveryProcessorService(StoreDeliveryProcessor processor, StoreDeliverySignal signal, IOptions<StoreIngestOptions> options, ILogger<StoreDeliveryProcessorService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await processor.RunPendingAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Store delivery pass failed");
            }
            try
            {
                await signal.WaitAsync(options.Value.ProcessorPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
