using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Tests.GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.Api.Tests.Stores.Checkout;

/// <summary>
/// A connected fake Shopify store (through connectStore) and a member linked to Shopify customer <see cref="CustomerId"/>
/// with 2,000 points; the shop's side of the app proxy (a signed query, computed here from the documented recipe) and
/// of order webhooks (signed with the app client secret, POSTed to the app).
/// </summary>
internal sealed class CheckoutTestApp : IAsyncDisposable
{
    public const string CustomerId = "7001";

    public const string CheckoutQuery = """
        query($connectionId: ID) { checkout(connectionId: $connectionId) { balance worth { amount currency } pointValue minPoints maxPoints maxRedeemablePoints maxRedeemableWorth { amount currency } openDiscounts { code } } }
        """;

    public const string Apply = """
        mutation($input: ApplyPointsAtCheckoutInput!) {
          applyPointsAtCheckout(input: $input) { discount { id code points value { amount currency } status expiresAt orderReference } balance { approved spent } userErrors { code field message } }
        }
        """;

    public required StoreTestApp T { get; init; }
    public required string ConnectionId { get; init; }
    public required MemberView Member { get; init; }

    public Guid Connection => StoreTestApp.Raw(ConnectionId);

    /// <summary>How long the test store's checkout discounts live (its couponValidityDays is 1).</summary>
    public static readonly TimeSpan DiscountLifetime = TimeSpan.FromDays(1);

    /// <summary>Past a discount's end and the return grace: the checkout-discount-expiry job takes it.</summary>
    public static readonly TimeSpan PastReturn = DiscountLifetime + HeadlessLoyalty.Api.Stores.Checkout.CheckoutOperations.ReturnGrace + TimeSpan.FromHours(1);

    public static async Task<CheckoutTestApp> StartAsync(string provider)
    {
        var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectShopifyAsync(settings: new { couponValidityDays = 1 })).GetProperty("connection").GetProperty("id").GetString()!;
        var member = await t.App.EnrollAsync(t.Slug, "shopper@example.com", "Sam", "Shopper");
        await t.App.AdjustAsync(t.Slug, member.Id, 2_000);
        await t.LinkCustomerAsync(member.Id, StoreTestApp.Raw(id), CustomerId);
        return new CheckoutTestApp { T = t, ConnectionId = id, Member = member };
    }

    /// <summary>The shop's host as the app proxy names it in <c>shop</c> (the fake listens on 127.0.0.1:port).</summary>
    public string Shop => new Uri(T.Shopify.Url).Authority;

    /// <summary>The query Shopify's app proxy appends: shop, logged_in_customer_id, path_prefix, timestamp, signature (hex HMAC of the sorted pairs).</summary>
    public string ProxyQuery(string? customerId = CustomerId, DateTimeOffset? at = null, string? secret = null, string? shop = null, bool signed = true, string? tamper = null)
    {
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["shop"] = shop ?? Shop,
            ["logged_in_customer_id"] = customerId ?? "",
            ["path_prefix"] = "/apps/loyalty",
            ["timestamp"] = (at ?? T.App.Clock.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        var message = string.Concat(pairs.Select(p => $"{p.Key}={p.Value}"));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? T.Shopify.ClientSecret), Encoding.UTF8.GetBytes(message)));
        if (tamper is not null)
            pairs["logged_in_customer_id"] = tamper;
        var query = string.Join('&', pairs.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return signed ? $"{query}&signature={signature}" : query;
    }

    public async Task<(int Status, JsonElement Body)> ProxyTokenAsync(string query, string? connection = null)
    {
        using var client = T.App.CreateClient();
        using var response = await client.GetAsync($"/proxy/shopify/{connection ?? Connection.ToString()}/token?{query}");
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public HttpClient Storefront() => T.App.CreateClient(T.App.MintToken(T.Slug, Roles.Storefront, Member.Id, lifetime: TimeSpan.FromDays(1)));

    public Task<JsonElement> ApplyAsync(HttpClient client, long points, string key, object? member = null) =>
        client.FieldAsync(Apply, "applyPointsAtCheckout", new { input = new { points, idempotencyKey = key, connectionId = ConnectionId, member } });

    /// <summary>Shopify's orders/paid delivery of an order using <paramref name="codes"/>, signed, then processed.</summary>
    public Task DeliverOrderAsync(long orderId, params string[] codes) => DeliverOrderAsync("orders/paid", orderId, codes);

    /// <summary>Shopify's <paramref name="topic"/> delivery (orders/create, orders/paid...) of an order using <paramref name="codes"/>, signed, then processed.</summary>
    public async Task DeliverOrderAsync(string topic, long orderId, params string[] codes)
    {
        var body = new JsonObject
        {
            ["id"] = orderId, ["name"] = $"#{orderId}", ["email"] = "shopper@example.com", ["currency"] = "EUR", ["total_price"] = "80.00",
            ["financial_status"] = "paid", ["created_at"] = T.App.Clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ["customer"] = new JsonObject { ["id"] = long.Parse(CustomerId, CultureInfo.InvariantCulture), ["email"] = "shopper@example.com" },
            ["discount_codes"] = new JsonArray([.. codes.Select(c => (JsonNode)new JsonObject { ["code"] = c, ["amount"] = "10.00", ["type"] = "fixed_amount" })]),
            ["line_items"] = new JsonArray(new JsonObject { ["id"] = 1, ["product_id"] = 7, ["variant_id"] = 70, ["title"] = "Tee", ["quantity"] = 1, ["price"] = "90.00" }),
        }.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/shopify/{Connection}") { Content = content };
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Shop-Domain", T.Shopify.ShopDomain);
        request.Headers.Add("X-Shopify-Event-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Hmac-Sha256", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(T.Shopify.ClientSecret), bytes)));
        using var client = T.App.CreateClient();
        using var response = await client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        await T.App.Services.GetRequiredService<StoreDeliveryProcessor>().RunPendingAsync();
    }

    public async Task<int> RunExpiryAsync()
    {
        var runs = await T.App.Services.GetRequiredService<JobRunner>().RunForAllProgramsAsync(LoyaltyJobs.CheckoutDiscountExpiry, JobTrigger.Manual);
        Assert.All(runs, r => Assert.Equal((JobOutcome.Succeeded, null), (r.Outcome, r.Error)));
        return runs.Sum(r => r.Processed);
    }

    public ValueTask DisposeAsync() => T.DisposeAsync();
}
