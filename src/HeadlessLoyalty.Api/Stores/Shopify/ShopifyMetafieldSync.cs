using System.Globalization;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Stores.Shopify;

/// <summary>The <c>Stores:Metafields</c> configuration section (loyalty values synced back to Shopify customers).</summary>
public sealed class MetafieldSyncOptions
{
    /// <summary>Run the background sync on this instance (never for a CLI verb). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Pause between two passes (the first pass comes one interval after start). Default 30 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events read per connection per pass. Default 500.</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// Loyalty values of members linked to a Shopify customer (<c>MemberExternalId.Store</c> = the connection's key) written
/// back to that customer as metafields: <c>loyalty.points_balance</c> (number_integer, the approved balance) and
/// <c>loyalty.tier</c> (single_line_text_field, the tier held; left unchanged when none). The outbound queue is the
/// event log itself with a durable cursor per connection (<see cref="EventConsumer"/> <c>shopify-metafields:{connection}</c>):
/// a pass reads the member events after the cursor, sends the CURRENT values of the linked members among them
/// (25 metafields per call), and moves the cursor only after Shopify accepted them. THROTTLED is retried by the client
/// (throttle status honoured); a call that still fails leaves the cursor where it was and the next pass sends again
/// (values are idempotent, so a repeat does no harm). Every approved balance change has an event (points.adjusted covers
/// admin adjustments and returned checkout discounts). A cursor the <c>event-retention</c> job has overtaken (events
/// after it are deleted) triggers a full resync of the connection's linked customers instead (<see cref="ResyncAsync"/>).
/// </summary>
public sealed class ShopifyMetafieldSync(IServiceScopeFactory scopes, ILogger<ShopifyMetafieldSync> log)
{
    public const string Namespace = "loyalty";
    public const string BalanceKey = "points_balance";
    public const string TierKey = "tier";
    private readonly SemaphoreSlim _gate = new(1, 1);

    public static string ConsumerName(Guid connectionId) => $"shopify-metafields:{connectionId:N}";

    /// <summary>One pass over every live Shopify connection; returns how many customers were updated.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            List<(Guid Id, Guid ProgramId)> connections;
            await using (var scope = scopes.CreateAsyncScope())
            {
                connections = (await scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>().StoreConnections.IgnoreQueryFilters().AsNoTracking()
                    .Where(c => c.Platform == StorePlatform.Shopify && (c.Status == StoreConnectionStatus.Active || c.Status == StoreConnectionStatus.ManualSetup) && c.ProtectedCredentials != null)
                    .Select(c => new { c.Id, c.ProgramId }).ToListAsync(ct)).Select(c => (c.Id, c.ProgramId)).ToList();
            }
            var updated = 0;
            foreach (var (id, programId) in connections)
            {
                try
                {
                    updated += await SyncConnectionAsync(id, programId, ct);
                }
                catch (LoyaltyException e)
                {
                    log.LogWarning("Shopify metafield sync for connection {Connection} stopped: {Reason}; the next pass sends again.", id, e.Message);
                }
            }
            return updated;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> SyncConnectionAsync(Guid connectionId, Guid programId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<TenantContext>().Set(programId);
        var db = services.GetRequiredService<LoyaltyDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var client = services.GetRequiredService<ShopifyClient>();
        var batchSize = Math.Max(1, services.GetRequiredService<IOptions<MetafieldSyncOptions>>().Value.BatchSize);
        var connection = await db.StoreConnections.AsNoTracking().FirstAsync(c => c.Id == connectionId, ct);
        var credentials = services.GetRequiredService<StoreSecrets>().UnprotectCredentials(connection.ProtectedCredentials!);
        var name = ConsumerName(connectionId);
        var updated = 0;
        while (true)
        {
            var cursor = await db.EventConsumers.AsNoTracking().Where(c => c.Name == name).Select(c => (long?)c.Position).FirstOrDefaultAsync(ct) ?? 0;
            var events = await EventLog.ReadAsync(db, cursor, batchSize, null, null, ct);
            // Checked after the read (as EventLog.ReadRetainedAsync does): retention deletes and moves its mark in one
            // transaction, so a read that raced a deletion sees the mark here. Unlike `events`, a cursor of 0 (a new
            // connection) is behind too once anything was deleted: the values of members whose events are gone are needed.
            var deletedThrough = await EventLog.DeletedThroughAsync(db, ct);
            if (cursor < deletedThrough)
            {
                updated += await ResyncAsync(db, clock, client, connection, credentials, name, cursor, deletedThrough, batchSize, ct);
                continue;
            }
            if (events.Count == 0)
                return updated;
            var memberIds = events.Where(e => e.MemberId is not null).Select(e => e.MemberId!.Value).Distinct().ToList();
            var customers = await db.MemberExternalIds.AsNoTracking()
                .Where(x => x.Store == connection.StoreKey && memberIds.Contains(x.MemberId)).Select(x => new LinkedCustomer(x.MemberId, x.ExternalId)).ToListAsync(ct);
            updated += await SendAsync(db, client, connection, credentials, customers, ct);
            await EventConsumers.AcknowledgeAsync(db, clock, name, events[^1].Position!.Value, ct);
        }
    }

    /// <summary>
    /// The cursor fell behind the retention mark (events after it are deleted, so some changes would never be sent):
    /// sends the current values of EVERY member linked to the connection's store, in batches, then moves the cursor
    /// to the log's head as it was before the resync began (at least the mark), so an event recorded meanwhile is
    /// still read. A failed call leaves the cursor behind: the next pass resyncs again.
    /// </summary>
    private async Task<int> ResyncAsync(LoyaltyDbContext db, TimeProvider clock, ShopifyClient client, StoreConnection connection,
        StoreCredentials credentials, string name, long cursor, long deletedThrough, int batchSize, CancellationToken ct)
    {
        var head = await EventLog.HeadAsync(db, ct);
        log.LogWarning("Shopify metafield sync for connection {Connection}: its cursor {Cursor} is behind the event retention (deleted through {DeletedThrough}); "
            + "resending the balance and tier of every linked customer, then resuming after position {Head}.", connection.Id, cursor, deletedThrough, Math.Max(head, deletedThrough));
        var updated = 0;
        Guid? after = null;
        while (true)
        {
            var query = db.MemberExternalIds.AsNoTracking().Where(x => x.Store == connection.StoreKey);
            if (after is { } last)
                query = query.Where(x => x.MemberId.CompareTo(last) > 0);
            var customers = await query.OrderBy(x => x.MemberId).Take(batchSize).Select(x => new LinkedCustomer(x.MemberId, x.ExternalId)).ToListAsync(ct);
            if (customers.Count == 0)
                break;
            updated += await SendAsync(db, client, connection, credentials, customers, ct);
            after = customers[^1].MemberId;
        }
        await EventConsumers.AcknowledgeAsync(db, clock, name, Math.Max(head, deletedThrough), ct);
        return updated;
    }

    private sealed record LinkedCustomer(Guid MemberId, string ExternalId);

    /// <summary>Sends the current balance and tier of these linked customers (24 metafields per call); returns how many members.</summary>
    private static async Task<int> SendAsync(LoyaltyDbContext db, ShopifyClient client, StoreConnection connection, StoreCredentials credentials,
        List<LinkedCustomer> customers, CancellationToken ct)
    {
        if (customers.Count == 0)
            return 0;
        var linked = customers.Select(c => c.MemberId).Distinct().ToList();
        var balances = await db.Balances.AsNoTracking().Where(b => linked.Contains(b.MemberId)).ToDictionaryAsync(b => b.MemberId, b => b.Approved, ct);
        var tiers = await (from mt in db.MemberTiers.AsNoTracking()
                           join t in db.Tiers.AsNoTracking() on mt.TierId equals t.Id
                           where linked.Contains(mt.MemberId)
                           select new { mt.MemberId, t.Name }).ToDictionaryAsync(x => x.MemberId, x => x.Name, ct);
        var metafields = new List<ShopifyMetafield>();
        foreach (var c in customers.DistinctBy(c => c.MemberId))
        {
            var owner = ShopifyClient.CustomerGid(c.ExternalId);
            metafields.Add(new(owner, Namespace, BalanceKey, "number_integer", balances.GetValueOrDefault(c.MemberId).ToString(CultureInfo.InvariantCulture)));
            if (tiers.TryGetValue(c.MemberId, out var tier) && !string.IsNullOrWhiteSpace(tier))
                metafields.Add(new(owner, Namespace, TierKey, "single_line_text_field", tier));
        }
        foreach (var chunk in metafields.Chunk(24))
            await client.SetMetafieldsAsync(connection.Url, credentials, chunk, ct);
        return linked.Count;
    }
}

/// <summary>Runs <see cref="ShopifyMetafieldSync"/> every <see cref="MetafieldSyncOptions.Interval"/>.</summary>
public sealed class ShopifyMetafieldSyncService(ShopifyMetafieldSync sync, IOptions<MetafieldSyncOptions> options, TimeProvider clock, ILogger<ShopifyMetafieldSyncService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.Interval, clock, stoppingToken);
                await sync.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "Shopify metafield sync pass failed.");
            }
        }
    }
}

public static class ShopifyMetafieldSyncExtensions
{
    /// <summary>The metafield sync and (unless a CLI verb or <c>Stores:Metafields:Enabled=false</c>) its background service.</summary>
    public static WebApplicationBuilder AddShopifyMetafieldSync(this WebApplicationBuilder builder, string[] args)
    {
        builder.Services.AddOptions<MetafieldSyncOptions>().BindConfiguration("Stores:Metafields");
        builder.Services.AddSingleton<ShopifyMetafieldSync>();
        if (!Cli.CliExtensions.IsCliInvocation(args) && builder.Configuration.GetValue("Stores:Metafields:Enabled", true))
            builder.Services.AddHostedService<ShopifyMetafieldSyncService>();
        return builder;
    }
}
