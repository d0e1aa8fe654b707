using System.Globalization;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Stores.Shopify;
using HeadlessLoyalty.Api.Stores.WooCommerce;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Stores;

public sealed record ConnectStoreInput(StorePlatform Platform, string Url, StoreCredentials Credentials, StoreSettingsInput? Settings);

/// <summary>Settings to change; null fields keep their value (<see cref="ClearMaxRedeemPoints"/> removes the maximum).</summary>
public sealed record StoreSettingsInput(
    StoreAwardOn? AwardOn = null, decimal? PointValue = null, long? MinRedeemPoints = null, long? MaxRedeemPoints = null,
    bool ClearMaxRedeemPoints = false, string? CouponPrefix = null, int? CouponValidityDays = null);

/// <summary>
/// What connectStore returns: the connection, and for a connection in manual setup the delivery URL and the webhook
/// secret to enter on the store (shown here only; the API never shows the secret again).
/// </summary>
public sealed record ConnectStoreResult(StoreConnection Connection, bool Reconnected, string DeliveryUrl, string? ManualSetupSecret);

/// <summary>
/// Store connections: connect (verify, encrypt, register webhooks), pause, resume, disconnect, settings, and the
/// audit log. The store is called outside any database transaction; the row then changes in one short transaction
/// with its audit line. Every change is idempotent: pausing a paused store or disconnecting a disconnected one
/// changes nothing and writes no audit line.
/// </summary>
public sealed class StoreOperations(
    LoyaltyDbContext db, TimeProvider clock, StoreSecrets secrets, WooCommerceClient woo, ShopifyClient shopify,
    IOptions<StoresOptions> options, ILogger<StoreOperations> log)
{
    private StoresOptions Options => options.Value;

    public Task<StoreConnection?> FindAsync(Guid id, CancellationToken ct = default) =>
        db.StoreConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>The program's connections, oldest first.</summary>
    public async Task<IReadOnlyList<StoreConnection>> ListAsync(CancellationToken ct = default) =>
        await db.StoreConnections.AsNoTracking().OrderBy(c => c.ConnectedAt).ThenBy(c => c.Id).ToListAsync(ct);

    /// <summary>The audit log, newest first; of one connection when <paramref name="connectionId"/> is given.</summary>
    public IQueryable<StoreAuditEntry> AuditLog(Guid? connectionId) =>
        db.StoreAuditEntries.AsNoTracking()
            .Where(e => connectionId == null || e.ConnectionId == connectionId)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id);

    /// <summary>
    /// Connects a store, or resumes the program's connection of the same URL: verifies the credentials against the
    /// store, stores them encrypted, and registers our webhooks (a connection that already has them keeps them and its
    /// secret; one in MANUAL_SETUP keeps its secret and tries registering again). A key that may not create webhooks
    /// completes the connection in MANUAL_SETUP. Refusals (nothing stored):
    /// STORE_URL_INVALID, STORE_CREDENTIALS_INVALID, STORE_UNREACHABLE, INVALID_INPUT.
    /// </summary>
    public async Task<ConnectStoreResult> ConnectAsync(string actor, ConnectStoreInput input, CancellationToken ct = default)
    {
        var url = StoreUrls.Normalize(input.Url, Options.AllowLoopbackHttp);
        var credentials = Clean(input.Platform, input.Credentials);
        if (input.Settings is { } s)
            Validate(s);
        var existing = await db.StoreConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Url == url, ct);
        if (existing is not null && existing.Platform != input.Platform)
            throw new InvalidInputException("platform", $"{url} is already connected as a {existing.Platform} store.");

        // 1. The store: verify, then register webhooks unless the connection already has live ones.
        if (input.Platform == StorePlatform.WooCommerce)
            await woo.VerifyAsync(url, credentials, ct);
        else
            await shopify.VerifyAsync(url, credentials, ct);

        var id = existing?.Id ?? Guid.CreateVersion7(clock.GetUtcNow());
        // Live webhooks are kept. A connection in manual setup keeps its secret (the merchant entered it on the store)
        // but registration is tried again: the new key may now be allowed to create webhooks.
        var keepSecret = existing is { ProtectedWebhookSecret: not null } && (existing.WebhookIds.Length > 0 || existing.ManualSetup);
        var keepWebhooks = keepSecret && existing!.WebhookIds.Length > 0;
        var secret = input.Platform == StorePlatform.Shopify
            ? credentials.ClientSecret!
            : keepSecret ? secrets.UnprotectWebhookSecret(existing!.ProtectedWebhookSecret!) : StoreSecrets.NewWooCommerceSecret();
        var deliveryUrl = Options.DeliveryUrl(input.Platform, id);
        List<string> webhookIds = keepWebhooks ? [.. existing!.WebhookIdList] : [];
        var manual = false;
        if (!keepWebhooks)
            (webhookIds, manual) = await RegisterWebhooksAsync(input.Platform, url, credentials, id, deliveryUrl, secret, ct);

        // 2. The row and its audit line.
        try
        {
            var now = clock.GetUtcNow();
            var connection = await WriteTransaction.RunAsync(db, async token =>
            {
                var c = await db.StoreConnections.FirstOrDefaultAsync(x => x.Url == url, token);
                if (c is not null && c.Id != id)
                    throw new ConcurrencyConflictException(); // a concurrent connectStore of the same URL won: ours is undone below
                var isNew = c is null;
                if (c is null)
                {
                    c = new StoreConnection { Id = id, Platform = input.Platform, Url = url, Status = StoreConnectionStatus.Active, ConnectedAt = now };
                    db.StoreConnections.Add(c);
                }
                var wasLive = !isNew && c.IsLive;
                c.ProtectedCredentials = secrets.ProtectCredentials(credentials);
                c.ProtectedWebhookSecret = secrets.ProtectWebhookSecret(secret);
                c.WebhookIds = string.Join(',', webhookIds);
                c.ManualSetup = manual;
                if (input.Settings is { } settings)
                    Apply(c, settings);
                c.Status = c.LiveStatus;
                if (!isNew && !wasLive)
                {
                    c.ResumedAt = now;
                    c.DisconnectedAt = null;
                }
                if (!isNew && existing!.Status == StoreConnectionStatus.Disconnected)
                    c.ConnectedAt = now;
                c.UpdatedAt = now;
                c.Version++;
                Audit(c.Id, isNew ? StoreAuditActions.Connected : StoreAuditActions.Reconnected, actor,
                    $"{c.Platform} {url}: {(manual ? "manual setup (the key cannot create webhooks)" : $"webhooks {c.WebhookIds}")}", now);
                return c;
            }, ct);
            return new ConnectStoreResult(connection, existing is not null, deliveryUrl, manual ? secret : null);
        }
        catch
        {
            if (!keepWebhooks)
                await DeleteWebhooksAsync(input.Platform, url, credentials, webhookIds);
            throw;
        }
    }

    private async Task<(List<string> Ids, bool Manual)> RegisterWebhooksAsync(
        StorePlatform platform, string url, StoreCredentials credentials, Guid id, string deliveryUrl, string secret, CancellationToken ct)
    {
        var ids = new List<string>();
        try
        {
            if (platform == StorePlatform.WooCommerce)
            {
                var created = await woo.CreateWebhookAsync(url, credentials, $"HeadlessLoyalty {id:D}", deliveryUrl, secret, ct);
                if (created is null)
                    return ([], true);
                ids.Add(created);
                return (ids, false);
            }
            foreach (var topic in ShopifyClient.WebhookTopics)
            {
                var created = await shopify.CreateWebhookAsync(url, credentials, topic, deliveryUrl, ct);
                if (created is null)
                {
                    await DeleteWebhooksAsync(platform, url, credentials, ids);
                    return ([], true);
                }
                ids.Add(created);
            }
            return (ids, false);
        }
        catch
        {
            await DeleteWebhooksAsync(platform, url, credentials, ids);
            throw;
        }
    }

    /// <summary>Deletes webhooks on the store, best effort; returns false when one could not be deleted (logged).</summary>
    private async Task<bool> DeleteWebhooksAsync(StorePlatform platform, string url, StoreCredentials credentials, IEnumerable<string> ids)
    {
        var all = true;
        foreach (var webhookId in ids)
        {
            try
            {
                if (platform == StorePlatform.WooCommerce)
                    await woo.DeleteWebhookAsync(url, credentials, webhookId, CancellationToken.None);
                else
                    await shopify.DeleteWebhookAsync(url, credentials, webhookId, CancellationToken.None);
            }
            catch (LoyaltyException e)
            {
                all = false;
                log.LogWarning("Could not delete webhook {WebhookId} on {Store}: {Reason}", webhookId, url, e.Message);
            }
        }
        return all;
    }

    /// <summary>Pauses a connection: deliveries are logged and skipped, redemption refused. Paused again: no change.</summary>
    public Task<StoreConnection> PauseAsync(string actor, Guid id, CancellationToken ct = default) =>
        ChangeAsync(id, actor, c =>
        {
            if (c.Status == StoreConnectionStatus.Paused)
                return null;
            c.Status = StoreConnectionStatus.Paused;
            c.PausedAt = clock.GetUtcNow();
            return (StoreAuditActions.Paused, "Deliveries skipped and redemption refused until resumed.");
        }, ct);

    /// <summary>Resumes a paused connection (no back-fill of what was skipped). A live one: no change.</summary>
    public Task<StoreConnection> ResumeAsync(string actor, Guid id, CancellationToken ct = default) =>
        ChangeAsync(id, actor, c =>
        {
            if (c.IsLive)
                return null;
            c.Status = c.LiveStatus;
            c.ResumedAt = clock.GetUtcNow();
            return (StoreAuditActions.Resumed, "Deliveries from now on are processed; nothing skipped while paused is back-filled.");
        }, ct);

    /// <summary>Changes the settings; the audit line names every change. No actual change: no audit line.</summary>
    public Task<StoreConnection> UpdateSettingsAsync(string actor, Guid id, StoreSettingsInput settings, CancellationToken ct = default)
    {
        Validate(settings);
        return ChangeAsync(id, actor, c =>
        {
            var before = Describe(c);
            Apply(c, settings);
            var after = Describe(c);
            return before == after ? null : (StoreAuditActions.SettingsUpdated, $"{before} -> {after}");
        }, ct);
    }

    /// <summary>
    /// Disconnects: deletes our webhooks on the store (best effort, <c>force=true</c>), then erases the stored keys
    /// and secret. Members keep every point. Disconnected again: no change. Returns whether the store confirmed the
    /// webhooks' deletion.
    /// </summary>
    public async Task<(StoreConnection Connection, bool WebhooksDeleted)> DisconnectAsync(string actor, Guid id, CancellationToken ct = default)
    {
        var c = await FindAsync(id, ct) ?? throw new StoreConnectionNotFoundException(id);
        if (c.Status == StoreConnectionStatus.Disconnected)
            return (c, true);
        var deleted = c.ProtectedCredentials is null
            || await DeleteWebhooksAsync(c.Platform, c.Url, secrets.UnprotectCredentials(c.ProtectedCredentials), c.WebhookIdList);
        var ids = c.WebhookIds;
        var connection = await ChangeAsync(id, actor, x =>
        {
            if (x.Status == StoreConnectionStatus.Disconnected)
                return null;
            x.Status = StoreConnectionStatus.Disconnected;
            x.DisconnectedAt = clock.GetUtcNow();
            x.ProtectedCredentials = null;
            x.ProtectedWebhookSecret = null;
            x.WebhookIds = "";
            x.ManualSetup = false;
            return (StoreAuditActions.Disconnected, ids.Length == 0
                ? "Keys erased (no webhooks of ours were registered)."
                : deleted ? $"Webhooks {ids} deleted on the store; keys erased." : $"Keys erased; the store did not confirm deleting webhooks {ids} (they fail from now on).");
        }, ct, allowDisconnected: true);
        return (connection, deleted);
    }

    private Task<StoreConnection> ChangeAsync(
        Guid id, string actor, Func<StoreConnection, (string Action, string Detail)?> change, CancellationToken ct, bool allowDisconnected = false) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            var c = await db.StoreConnections.FirstOrDefaultAsync(x => x.Id == id, token) ?? throw new StoreConnectionNotFoundException(id);
            if (!allowDisconnected && c.Status == StoreConnectionStatus.Disconnected)
                throw new StoreDisconnectedException(id);
            if (change(c) is not { } audit)
                return c;
            var now = clock.GetUtcNow();
            c.UpdatedAt = now;
            c.Version++;
            Audit(c.Id, audit.Action, actor, audit.Detail, now);
            return c;
        }, ct);

    /// <summary>Stages an audit line (saved with the caller's change).</summary>
    internal static void Audit(LoyaltyDbContext db, Guid connectionId, string action, string actor, string detail, DateTimeOffset now) =>
        db.StoreAuditEntries.Add(new StoreAuditEntry
        {
            Id = Guid.CreateVersion7(now), ConnectionId = connectionId, Action = action, Actor = actor,
            Detail = detail.Length > StoreAuditEntry.MaxDetailLength ? detail[..StoreAuditEntry.MaxDetailLength] : detail, OccurredAt = now,
        });

    private void Audit(Guid connectionId, string action, string actor, string detail, DateTimeOffset now) => Audit(db, connectionId, action, actor, detail, now);

    private static StoreCredentials Clean(StorePlatform platform, StoreCredentials c)
    {
        static string? T(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        var clean = new StoreCredentials(T(c.ConsumerKey), T(c.ConsumerSecret), T(c.AccessToken), T(c.ClientSecret), T(c.ApiKey));
        var missing = platform == StorePlatform.WooCommerce
            ? clean.ConsumerKey is null || clean.ConsumerSecret is null
            : clean.AccessToken is null || clean.ClientSecret is null;
        if (missing)
            throw new StoreCredentialsInvalidException(platform == StorePlatform.WooCommerce
                ? "A WooCommerce connection needs consumerKey (ck_...) and consumerSecret (cs_...)."
                : "A Shopify connection needs accessToken (Admin API) and clientSecret (the app's, which signs its webhooks).");
        return clean;
    }

    internal static void Validate(StoreSettingsInput s)
    {
        if (s.PointValue is { } v && (v <= 0 || v > 1000 || decimal.Round(v, 4) != v))
            throw new InvalidInputException("settings.pointValue", "The value of a point must be above 0 and at most 1000, with at most 4 decimals.");
        if (s.MinRedeemPoints is < 1)
            throw new InvalidInputException("settings.minRedeemPoints", "The minimum must be at least 1 point.");
        if (s.MaxRedeemPoints is { } max && (max < 1 || (s.MinRedeemPoints is { } min && max < min)))
            throw new InvalidInputException("settings.maxRedeemPoints", "The maximum must be at least 1 and not below the minimum.");
        if (s.CouponPrefix is { } p && (p.Length is < 1 or > 20 || !p.All(char.IsAsciiLetterOrDigit)))
            throw new InvalidInputException("settings.couponPrefix", "The coupon prefix is 1 to 20 letters or digits.");
        if (s.CouponValidityDays is < 1 or > 90)
            throw new InvalidInputException("settings.couponValidityDays", "Coupons are valid 1 to 90 days.");
    }

    private static void Apply(StoreConnection c, StoreSettingsInput s)
    {
        if (s.AwardOn is { } a) c.AwardOn = a;
        if (s.PointValue is { } v) c.PointValue = v;
        if (s.MinRedeemPoints is { } min) c.MinRedeemPoints = min;
        if (s.ClearMaxRedeemPoints) c.MaxRedeemPoints = null;
        if (s.MaxRedeemPoints is { } max) c.MaxRedeemPoints = max;
        if (c.MaxRedeemPoints < c.MinRedeemPoints)
            throw new InvalidInputException("settings.maxRedeemPoints", "The maximum must not be below the minimum.");
        if (s.CouponPrefix is { } p) c.CouponPrefix = p.ToUpperInvariant();
        if (s.CouponValidityDays is { } d) c.CouponValidityDays = d;
    }

    private static string Describe(StoreConnection c) => string.Create(CultureInfo.InvariantCulture,
        $"awardOn={c.AwardOn} pointValue={c.PointValue:0.####} minRedeemPoints={c.MinRedeemPoints} maxRedeemPoints={(c.MaxRedeemPoints?.ToString(CultureInfo.InvariantCulture) ?? "none")} couponPrefix={c.CouponPrefix} couponValidityDays={c.CouponValidityDays}");
}
