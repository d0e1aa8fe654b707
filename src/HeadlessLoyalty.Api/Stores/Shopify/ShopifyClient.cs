using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Stores.Shopify;

/// <summary>A basic code discount to create on Shopify, limited to one customer (<c>gid://shopify/Customer/N</c>).</summary>
public sealed record ShopifyDiscount(string Title, string Code, decimal? Amount, decimal? Percentage, string CustomerGid, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>
/// The Shopify Admin GraphQL calls a connection makes (<c>POST {shop}/admin/api/{version}/graphql.json</c> with
/// <c>X-Shopify-Access-Token</c>). A <c>THROTTLED</c> answer is retried after the wait its <c>throttleStatus</c> names
/// (requested cost minus what is available, over the restore rate), at most <see cref="StoresOptions.Retries"/> times.
/// Refusals: 401/403 → <see cref="StoreCredentialsInvalidException"/>; a GraphQL ACCESS_DENIED (the token lacks the
/// field's scope) → <see cref="StoreScopeMissingException"/> (also STORE_CREDENTIALS_INVALID; manual setup for webhook
/// creation); a body that is not a GraphQL response and other failures → <see cref="StoreUnreachableException"/>.
/// </summary>
public sealed class ShopifyClient(IHttpClientFactory factory, IOptions<StoresOptions> options, ILogger<ShopifyClient> log)
{
    /// <summary>The topics registered on connect: orders (paid, updated: fulfilment and cancellation), refunds, customers, catalog.</summary>
    public static readonly IReadOnlyList<string> WebhookTopics =
        ["ORDERS_CREATE", "ORDERS_PAID", "ORDERS_UPDATED", "REFUNDS_CREATE", "CUSTOMERS_CREATE", "CUSTOMERS_UPDATE", "PRODUCTS_UPDATE", "LOCATIONS_CREATE"];

    public static string CustomerGid(string customerId) =>
        customerId.StartsWith("gid://", StringComparison.Ordinal) ? customerId : $"gid://shopify/Customer/{customerId}";

    /// <summary>Proves the token works: <c>{ shop { name myshopifyDomain } }</c>; returns the shop's name.</summary>
    public async Task<string> VerifyAsync(string shopUrl, StoreCredentials credentials, CancellationToken ct)
    {
        var data = await QueryAsync(shopUrl, credentials, "query VerifyShop { shop { name myshopifyDomain } }", null, ct);
        return (string?)data["shop"]?["name"] ?? throw new StoreUnreachableException("Shopify answered without the shop.");
    }

    /// <summary>
    /// Subscribes <paramref name="uri"/> to a topic; its id, or null when the token may not (ACCESS_DENIED: manual setup).
    /// A subscription of ours that already exists ("already been taken") is adopted: its id is returned.
    /// </summary>
    public async Task<string?> CreateWebhookAsync(string shopUrl, StoreCredentials credentials, string topic, string uri, CancellationToken ct)
    {
        const string mutation = """
            mutation CreateWebhook($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
              webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
                webhookSubscription { id }
                userErrors { field message }
              }
            }
            """;
        JsonObject data;
        try
        {
            data = await QueryAsync(shopUrl, credentials, mutation, new { topic, webhookSubscription = new { uri, format = "JSON" } }, ct);
        }
        catch (StoreScopeMissingException)
        {
            return null;
        }
        var result = data["webhookSubscriptionCreate"];
        if (result?["userErrors"] is JsonArray { Count: > 0 } errors
            && errors.Any(e => ((string?)e?["message"])?.Contains("already been taken", StringComparison.OrdinalIgnoreCase) == true)
            && await FindWebhookAsync(shopUrl, credentials, topic, uri, ct) is { } existing)
            return existing;
        ThrowOnUserErrors(result, "create the webhook subscription");
        return (string?)result?["webhookSubscription"]?["id"] ?? throw new StoreUnreachableException("Shopify created no webhook subscription.");
    }

    /// <summary>
    /// The id of the subscription of <paramref name="topic"/> to <paramref name="uri"/>, or null: Shopify answers
    /// "Address for this topic has already been taken" when one exists (e.g. left behind by a disconnect that could not
    /// delete it), and reconnecting adopts it instead of failing.
    /// </summary>
    public async Task<string?> FindWebhookAsync(string shopUrl, StoreCredentials credentials, string topic, string uri, CancellationToken ct)
    {
        const string query = """
            query FindWebhook($topics: [WebhookSubscriptionTopic!]) {
              webhookSubscriptions(first: 100, topics: $topics) { nodes { id topic uri } }
            }
            """;
        var data = await QueryAsync(shopUrl, credentials, query, new { topics = new[] { topic } }, ct);
        return (data["webhookSubscriptions"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(n => (string?)n["topic"] == topic && (string?)n["uri"] == uri)
            .Select(n => (string?)n["id"]).FirstOrDefault(id => id is not null);
    }

    /// <summary>Deletes a webhook subscription; one Shopify no longer has counts as deleted.</summary>
    public async Task DeleteWebhookAsync(string shopUrl, StoreCredentials credentials, string id, CancellationToken ct)
    {
        const string mutation = """
            mutation DeleteWebhook($id: ID!) {
              webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
            }
            """;
        var data = await QueryAsync(shopUrl, credentials, mutation, new { id }, ct);
        var errors = data["webhookSubscriptionDelete"]?["userErrors"] as JsonArray;
        if (errors is { Count: > 0 } && !errors.Any(e => ((string?)e?["message"])?.Contains("not exist", StringComparison.OrdinalIgnoreCase) == true))
            ThrowOnUserErrors(data["webhookSubscriptionDelete"], "delete the webhook subscription");
    }

    /// <summary>Creates a single-use code discount limited to one customer; returns the discount node id.</summary>
    public async Task<string> CreateDiscountAsync(string shopUrl, StoreCredentials credentials, ShopifyDiscount discount, CancellationToken ct)
    {
        const string mutation = """
            mutation CreateDiscount($basicCodeDiscount: DiscountCodeBasicInput!) {
              discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
                codeDiscountNode { id }
                userErrors { field code message }
              }
            }
            """;
        object value = discount.Amount is { } amount
            ? new { discountAmount = new { amount = amount.ToString("0.00", CultureInfo.InvariantCulture), appliesOnEachItem = false } }
            : new { percentage = (discount.Percentage ?? 0) / 100m };
        var input = new
        {
            title = discount.Title,
            code = discount.Code,
            startsAt = discount.StartsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            endsAt = discount.EndsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            usageLimit = 1,
            appliesOncePerCustomer = true,
            customerGets = new { value, items = new { all = true } },
            context = new { customers = new { add = new[] { discount.CustomerGid } } },
        };
        var data = await QueryAsync(shopUrl, credentials, mutation, new { basicCodeDiscount = input }, ct);
        var result = data["discountCodeBasicCreate"];
        // The code taken: our own earlier try whose answer was lost (the retry of a timed-out create). Our codes are
        // reserved and random, so a discount with this code is that try's: adopt it rather than fail and leave it free.
        if (result?["userErrors"] is JsonArray errors && errors.Any(e => (string?)e?["code"] == "TAKEN")
            && await FindDiscountByCodeAsync(shopUrl, credentials, discount.Code, ct) is { } existing)
            return existing;
        ThrowOnUserErrors(result, "create the discount");
        return (string?)result?["codeDiscountNode"]?["id"] ?? throw new StoreUnreachableException("Shopify created no discount.");
    }

    /// <summary>
    /// Sets metafields (at most 25 per call, Shopify's limit) with <c>metafieldsSet</c>: each replaces the owner's value
    /// for (namespace, key). THROTTLED is retried like every call; user errors throw STORE_UNREACHABLE.
    /// </summary>
    public async Task SetMetafieldsAsync(string shopUrl, StoreCredentials credentials, IReadOnlyList<ShopifyMetafield> metafields, CancellationToken ct)
    {
        const string mutation = """
            mutation SetMetafields($metafields: [MetafieldsSetInput!]!) {
              metafieldsSet(metafields: $metafields) { metafields { id namespace key } userErrors { field code message } }
            }
            """;
        var input = metafields.Select(m => new { ownerId = m.OwnerId, @namespace = m.Namespace, key = m.Key, type = m.Type, value = m.Value }).ToArray();
        var data = await QueryAsync(shopUrl, credentials, mutation, new { metafields = input }, ct);
        ThrowOnUserErrors(data["metafieldsSet"], "set the customer's metafields");
    }

    /// <summary>The id of the code discount whose code is <paramref name="code"/> (<c>codeDiscountNodeByCode</c>); null when there is none.</summary>
    public async Task<string?> FindDiscountByCodeAsync(string shopUrl, StoreCredentials credentials, string code, CancellationToken ct)
    {
        const string query = """
            query DiscountByCode($code: String!) {
              codeDiscountNodeByCode(code: $code) { id }
            }
            """;
        var data = await QueryAsync(shopUrl, credentials, query, new { code }, ct);
        return (string?)data["codeDiscountNodeByCode"]?["id"];
    }

    /// <summary>
    /// How many times a code discount was used: <c>codeDiscountNode(id) { codeDiscount { ... on DiscountCodeBasic { asyncUsageCount } } }</c>
    /// (Shopify counts asynchronously: a use may show a little late). Null when Shopify no longer has the discount.
    /// </summary>
    public async Task<int?> DiscountUsageAsync(string shopUrl, StoreCredentials credentials, string id, CancellationToken ct)
    {
        const string query = """
            query DiscountUsage($id: ID!) {
              codeDiscountNode(id: $id) { id codeDiscount { __typename ... on DiscountCodeBasic { asyncUsageCount } } }
            }
            """;
        var data = await QueryAsync(shopUrl, credentials, query, new { id }, ct);
        if (data["codeDiscountNode"] is not JsonObject node)
            return null;
        return node["codeDiscount"]?["asyncUsageCount"] is JsonValue v && v.TryGetValue<long>(out var n) ? (int)Math.Min(n, int.MaxValue)
            : throw new StoreUnreachableException("Shopify answered the discount without its usage count.");
    }

    /// <summary>Deletes a code discount.</summary>
    public async Task DeleteDiscountAsync(string shopUrl, StoreCredentials credentials, string id, CancellationToken ct)
    {
        const string mutation = """
            mutation DeleteDiscount($id: ID!) {
              discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { field code message } }
            }
            """;
        var data = await QueryAsync(shopUrl, credentials, mutation, new { id }, ct);
        ThrowOnUserErrors(data["discountCodeDelete"], "delete the discount");
    }

    private static void ThrowOnUserErrors(JsonNode? result, string what)
    {
        if (result?["userErrors"] is JsonArray { Count: > 0 } errors)
            throw new StoreUnreachableException($"Shopify could not {what}: {string.Join("; ", errors.Select(e => (string?)e?["message"]))}.");
    }

    /// <summary>One GraphQL request, retried while Shopify answers THROTTLED; returns <c>data</c>.</summary>
    internal async Task<JsonObject> QueryAsync(string shopUrl, StoreCredentials credentials, string query, object? variables, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(credentials.AccessToken))
            throw new StoreCredentialsInvalidException("A Shopify connection needs accessToken (and clientSecret, which signs its webhooks).");
        var opts = options.Value;
        for (var attempt = 0; ; attempt++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{shopUrl}/admin/api/{opts.ShopifyApiVersion}/graphql.json")
            {
                Content = JsonContent.Create(new { query, variables }),
            };
            request.Headers.Add("X-Shopify-Access-Token", credentials.AccessToken);
            using var response = await StoreHttp.SendAsync(factory.CreateClient(StoreHttp.ClientName), request, ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new StoreCredentialsInvalidException($"Shopify refused the access token (HTTP {(int)response.StatusCode}).");
            if (!response.IsSuccessStatusCode)
                throw new StoreUnreachableException($"Shopify answered HTTP {(int)response.StatusCode}.");
            var body = ParseBody(await response.Content.ReadAsStringAsync(ct), response.Content.Headers.ContentType?.MediaType);
            if (body["errors"] is JsonArray { Count: > 0 } errors)
            {
                var codes = errors.Select(e => (string?)e?["extensions"]?["code"]).ToList();
                if (codes.Contains("THROTTLED") && attempt < opts.Retries)
                {
                    var wait = ThrottleWait(body, opts);
                    log.LogInformation("Shopify {Shop} throttled the request; retrying in {Wait}", shopUrl, wait);
                    await Task.Delay(wait, ct);
                    continue;
                }
                if (errors.FirstOrDefault(e => (string?)e?["extensions"]?["code"] == "ACCESS_DENIED") is { } denied)
                    throw new StoreScopeMissingException(
                        (denied["path"] as JsonArray)?.FirstOrDefault()?.ToString() ?? "the call", (string?)denied["message"] ?? "ACCESS_DENIED");
                throw new StoreUnreachableException($"Shopify refused the request: {string.Join("; ", errors.Select(e => (string?)e?["message"]))}.");
            }
            return body["data"] as JsonObject ?? throw new StoreUnreachableException("Shopify answered without data.");
        }
    }

    /// <summary>How long until the bucket holds the request's cost: (requested − available) / restore rate, within [RetryDelay, MaxRetryDelay].</summary>
    internal static TimeSpan ThrottleWait(JsonObject body, StoresOptions opts)
    {
        var cost = body["extensions"]?["cost"];
        var status = cost?["throttleStatus"];
        var requested = (double?)cost?["requestedQueryCost"];
        var available = (double?)status?["currentlyAvailable"];
        var rate = (double?)status?["restoreRate"];
        if (requested is null || available is null || rate is not > 0)
            return opts.RetryDelay;
        var seconds = Math.Max(0, requested.Value - available.Value) / rate.Value;
        var wait = TimeSpan.FromSeconds(seconds);
        return wait < opts.RetryDelay ? opts.RetryDelay : wait > opts.MaxRetryDelay ? opts.MaxRetryDelay : wait;
    }

    /// <summary>The GraphQL response object; anything else (an HTML page from a proxy, a truncated body) is STORE_UNREACHABLE.</summary>
    private static JsonObject ParseBody(string text, string? mediaType)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject body)
                return body;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        throw new StoreUnreachableException($"Shopify answered with something that is not a GraphQL response ({mediaType ?? "no content type"}, {text.Length} characters).");
    }
}

/// <summary>One metafield value for <c>metafieldsSet</c> (<see cref="Type"/> e.g. <c>number_integer</c>, <c>single_line_text_field</c>; the value is always a string).</summary>
public sealed record ShopifyMetafield(string OwnerId, string Namespace, string Key, string Type, string Value);
