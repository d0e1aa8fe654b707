using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.Api.Tests.Stores.Fakes;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Stores;

/// <summary>The app (loopback store URLs allowed, quick retries) with a fake WooCommerce, a fake Shopify, a program and its admin.</summary>
public sealed class StoreTestApp : IAsyncDisposable
{
    public const string ConnectionFields = "id platform url status deliveryUrl webhookIds manualSetup { deliveryUrl topics instructions } hasCredentials settings { awardOn pointValue minRedeemPoints maxRedeemPoints couponPrefix couponValidityDays } connectedAt pausedAt resumedAt disconnectedAt lastDeliveryAt couponsAwaitingRecovery reconciliation { lastRunAt ordersModifiedThrough lastOrdersQueued lastWebhooksRepaired lastError }";

    public const string Connect = $$"""
        mutation($input: ConnectStoreInput!) { connectStore(input: $input) { connection { {{ConnectionFields}} } reconnected webhookSecret userErrors { code field message } } }
        """;

    public const string Redeem = """
        mutation($input: RedeemCouponInput!) {
          redeemCoupon(input: $input) { coupon { code value pointsSpent status } balance { approved spent } userErrors { code field message } }
        }
        """;

    public required LoyaltyApiFactory App { get; init; }
    public required FakeWooCommerce Woo { get; init; }
    public required FakeShopify Shopify { get; init; }
    public required string Slug { get; init; }
    public required HttpClient Admin { get; init; }

    public static async Task<StoreTestApp> StartAsync(string provider)
    {
        var app = await LoyaltyApiFactory.StartAsync(Enum.Parse<DatabaseProvider>(provider, ignoreCase: true), new Dictionary<string, string?>
        {
            ["Stores:AllowLoopbackHttp"] = "true",
            ["Stores:PublicBaseUrl"] = "http://127.0.0.1:9", // the discard port: pings go nowhere
            ["Stores:RetryDelay"] = "00:00:00.020",
            ["Stores:MaxRetryDelay"] = "00:00:00.500",
            ["Stores:AttemptTimeout"] = "00:00:05",
            ["Stores:Retries"] = "3",
        });
        var slug = NewSlug("st");
        await app.CreateProgramAsync(slug, currency: "EUR");
        return new StoreTestApp
        {
            App = app, Woo = await FakeWooCommerce.StartAsync(), Shopify = await FakeShopify.StartAsync(), Slug = slug,
            Admin = app.CreateClient(app.MintToken(slug, Roles.Admin, lifetime: TimeSpan.FromDays(30))),
        };
    }

    /// <summary>Moves the app's clock a second on: each admin action gets its own time (the audit log is ordered by it).</summary>
    public void Tick() => App.Clock.Advance(TimeSpan.FromSeconds(1));

    public Task<JsonElement> ConnectWooAsync(string key = FakeWooCommerce.DefaultKey, string secret = FakeWooCommerce.DefaultSecret, string? url = null, object? settings = null)
    {
        Tick();
        return Admin.MutateInputAsync(Connect, "connectStore", new
        {
            platform = "WOOCOMMERCE", url = url ?? Woo.Url, credentials = new { consumerKey = key, consumerSecret = secret }, settings,
        });
    }

    public Task<JsonElement> ConnectShopifyAsync(string? token = null, string? url = null, object? settings = null)
    {
        Tick();
        return Admin.MutateInputAsync(Connect, "connectStore", new
        {
            platform = "SHOPIFY", url = url ?? Shopify.Url, credentials = new { accessToken = token ?? Shopify.AccessToken, clientSecret = Shopify.ClientSecret }, settings,
        });
    }

    public Task<JsonElement> ConnectionAsync(string id) =>
        Admin.FieldAsync($"query($id: ID!) {{ storeConnection(id: $id) {{ {ConnectionFields} }} }}", "storeConnection", new { id });

    public async Task<List<(string Action, string Actor, string Detail)>> AuditAsync(string? connectionId = null)
    {
        var page = await Admin.FieldAsync("query($id: ID) { storeAuditLog(connectionId: $id, first: 100) { nodes { action actor detail connectionId } } }", "storeAuditLog", new { id = connectionId });
        return [.. page.GetProperty("nodes").EnumerateArray().Reverse()
            .Select(n => (n.GetProperty("action").GetString()!, n.GetProperty("actor").GetString()!, n.GetProperty("detail").GetString()!))];
    }

    public Task<JsonElement> StoreMutationAsync(string field, string id)
    {
        Tick();
        return Admin.MutateInputAsync($$"""
            mutation($input: StoreConnectionIdInput!) { {{field}}(input: $input) { connection { {{ConnectionFields}} } userErrors { code field message } } }
            """, field, new { id });
    }

    public Task<StoreConnection> RowAsync(Guid id) =>
        App.WithTenantlessDb(db => db.StoreConnections.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == id));

    public static Guid Raw(string globalId) => Guid.Parse(HeadlessLoyalty.GraphQL.Relay.GlobalId.TryDecode(globalId, out _, out var raw) ? raw : throw new FormatException(globalId));

    /// <summary>A member with <paramref name="points"/> approved points and a 5 EUR reward for 500 points; returns the member and the reward's global id.</summary>
    public async Task<(MemberView Member, string RewardId)> MemberWithRewardAsync(string email, long points = 2_000)
    {
        var member = await App.EnrollAsync(Slug, email, "Ann", "Store");
        await App.AdjustAsync(Slug, member.Id, points);
        var created = await Admin.FieldAsync("mutation($input: RewardInput!) { createReward(input: $input) { reward { id } userErrors { code } } }",
            "createReward", new { input = new { name = $"5 off {Guid.NewGuid():N}"[..20], kind = "FIXED_AMOUNT_COUPON", pointsCost = 500, value = 5, codePrefix = "LOYAL", validityDays = 14 } });
        return (member, created.GetProperty("reward").GetProperty("id").GetString()!);
    }

    public Task<JsonElement> RedeemAsync(MemberView member, string rewardId, string key)
    {
        Tick();
        return Admin.FieldAsync(Redeem, "redeemCoupon", new { input = new { member = new { id = MemberId(member.Id) }, rewardId, idempotencyKey = key } });
    }

    /// <summary>Links the member to a store customer id (what the Shopify customers webhook records).</summary>
    public Task LinkCustomerAsync(Guid memberId, Guid connectionId, string customerId) =>
        App.WithTenantAsync(Slug, async db =>
        {
            db.MemberExternalIds.Add(new MemberExternalId { Id = Guid.NewGuid(), MemberId = memberId, Store = StoreConnection.KeyOf(connectionId), ExternalId = customerId });
            await db.SaveChangesAsync();
        });

    public Task<long> ApprovedAsync(Guid memberId) =>
        App.WithTenantAsync(Slug, async db => (await db.Balances.AsNoTracking().SingleAsync(b => b.MemberId == memberId)).Approved);

    public Task<int> CouponCountAsync(Guid memberId) =>
        App.WithTenantAsync(Slug, db => db.Coupons.CountAsync(c => c.MemberId == memberId));

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Woo.DisposeAsync();
        await Shopify.DisposeAsync();
        await App.DisposeAsync();
    }
}
