using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HeadlessLoyalty.Api.Tests.Stores.Fakes;

/// <summary>A webhook subscription on the fake shop (<see cref="Topic"/> in the API's enum form, e.g. ORDERS_PAID).</summary>
public sealed record FakeShopifySubscription(string Id, string Topic, string Uri)
{
    /// <summary>The topic as the X-Shopify-Topic header names it: ORDERS_PAID → orders/paid.</summary>
    public string HeaderTopic => FakeShopify.HeaderTopic(Topic);
    /// <summary>Consecutive events whose delivery failed every try; a delivered one resets it.</summary>
    public int FailedEvents { get; set; }
}

/// <summary>
/// A real Shopify Admin GraphQL stand-in on 127.0.0.1 (<c>POST /admin/api/{version}/graphql.json</c>). It parses the
/// query and variables it receives (GraphQL-Parser), resolves the root field by name with its arguments (variables or
/// literals) and answers only the selected fields, so any client's documents work, not one client's strings.
/// <list type="bullet">
/// <item><c>X-Shopify-Access-Token</c>: a wrong one is 401 with Shopify's error text.</item>
/// <item>Root fields: <c>shop</c>, <c>webhookSubscriptions(first, topics, uri)</c>, <c>webhookSubscriptionCreate</c> (an address
/// already subscribed to the topic: userErrors "Address for this topic has already been taken"),
/// <c>webhookSubscriptionDelete</c>, <c>discountCodeBasicCreate</c> (duplicate code: userErrors TAKEN),
/// <c>discountCodeDelete</c>, <c>codeDiscountNodeByCode</c> (null when no discount has the code, compared
/// case-insensitively as Shopify does), <c>codeDiscountNode(id)</c> (<c>asyncUsageCount</c>: <see cref="UseDiscount"/>; inline
/// fragments on the node's type are answered); anything else is a GraphQL error. Without <see cref="CanWriteWebhooks"/> a webhook
/// create is ACCESS_DENIED; any root field in <see cref="DeniedFields"/> is ACCESS_DENIED (a token without that scope).</item>
/// <item><see cref="AnswerHtmlNext"/>: a 200 whose body is an HTML page, not JSON.</item>
/// <item>Cost: every answer carries <c>extensions.cost.throttleStatus</c>; <see cref="ThrottleNext"/> makes the next
/// requests fail with <c>THROTTLED</c>, as an empty bucket does. <see cref="LoseNextResponses"/> carries requests out
/// and answers 502, as a connection lost after the request arrived does.</item>
/// </list>
/// Sending: <see cref="SendWebhookAsync"/> delivers a topic's payload to every subscription of the topic with the
/// X-Shopify-* headers and the base64 HMAC of the raw body (the app client secret); <see cref="SendOrderPaidAsync"/> and
/// friends are shorthands. Reusing an event id replays a delivery, as Shopify's retries do.
/// </summary>
public sealed class FakeShopify : IAsyncDisposable
{
    public const string ApiVersion = "2025-07";
    public const int RestoreRate = 50;
    public const int RequestedCost = 10;

    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _failures = new();
    private int _throttles;
    private long _nextId = 1000;
    private Microsoft.AspNetCore.Builder.WebApplication _app = null!;

    public string Url { get; private set; } = "";
    public string ShopDomain { get; set; } = "fake-shop.myshopify.com";
    public string ShopName { get; set; } = "Fake Shop";
    public string AccessToken { get; set; } = "shpat_fake_token";
    public string ClientSecret { get; set; } = "shpss_fake_client_secret";
    /// <summary>
    /// Shopify's retries, with the waits compressed: a delivery that does not get a 2xx is tried again up to
    /// <see cref="DeliveryRetries"/> times (8 over 4 hours on Shopify), and a subscription whose events fail every try
    /// <see cref="FailedEventsBeforeDelete"/> times in a row is deleted (persistent failure removes subscriptions created
    /// through the Admin API). Off by default: most tests want one delivery per send.
    /// </summary>
    public bool RetryFailedDeliveries { get; set; }
    public const int DeliveryRetries = 8;
    public int FailedEventsBeforeDelete { get; set; } = 3;

    /// <summary>False: the token lacks write_webhooks-like access (webhookSubscriptionCreate is ACCESS_DENIED).</summary>
    public bool CanWriteWebhooks { get; set; } = true;
    /// <summary>Root fields the token lacks the scope for (e.g. <c>discountCodeBasicCreate</c> without write_discounts): GraphQL error ACCESS_DENIED, as Shopify answers.</summary>
    public ConcurrentDictionary<string, bool> DeniedFields { get; } = new();
    private int _notJson;

    /// <summary>The next <paramref name="times"/> requests answer 200 with an HTML page (a proxy's or the shop's unavailable page), not JSON.</summary>
    public void AnswerHtmlNext(int times = 1) => Interlocked.Add(ref _notJson, times);

    public ConcurrentDictionary<string, FakeShopifySubscription> Subscriptions { get; } = new();
    /// <summary>Discounts created, by node id: the <c>basicCodeDiscount</c> input as received.</summary>
    public ConcurrentDictionary<string, JsonObject> Discounts { get; } = new();
    /// <summary>Orders as the Admin GraphQL <c>orders</c> query returns them (legacyResourceId, updatedAt, displayFinancialStatus, totalPriceSet, customer...).</summary>
    public ConcurrentDictionary<string, JsonObject> Orders { get; } = new();
    /// <summary>Metafield values set with metafieldsSet, by (owner id, namespace, key).</summary>
    public ConcurrentDictionary<(string OwnerId, string Namespace, string Key), string> Metafields { get; } = new();
    /// <summary>Run once (then cleared) when the next metafieldsSet arrives, before it is answered: a change racing a sync pass.</summary>
    public void BeforeNextMetafieldsSet(Func<Task> action) => _beforeNextMetafieldsSet = action;
    private Func<Task>? _beforeNextMetafieldsSet;
    /// <summary>Uses of each discount (by node id) at checkout, what <c>asyncUsageCount</c> reports: <see cref="UseDiscount"/>.</summary>
    public ConcurrentDictionary<string, int> DiscountUses { get; } = new();
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();
    public ConcurrentQueue<FakeDeliveryResult> Sent { get; } = new();

    public static async Task<FakeShopify> StartAsync()
    {
        var fake = new FakeShopify();
        (fake._app, fake.Url) = await FakeStoreHost.StartAsync(app => app.MapPost("/admin/api/{version}/graphql.json", fake.HandleAsync));
        return fake;
    }

    /// <summary>The next <paramref name="times"/> requests answer THROTTLED (HTTP 200, as Shopify does).</summary>
    public void ThrottleNext(int times = 1) => Interlocked.Add(ref _throttles, times);

    /// <summary>The next <paramref name="times"/> requests fail with an HTTP <paramref name="status"/>.</summary>
    public void FailNext(int status, int times = 1, string? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
            _failures.Enqueue((status, retryAfter));
    }

    private int _lose;

    /// <summary>The next <paramref name="times"/> requests are carried out but answered 502 (the answer is lost on the way).</summary>
    public void LoseNextResponses(int times = 1) => Interlocked.Add(ref _lose, times);

    /// <summary>A customer checks out with the code: its discount's usage count goes up (no webhook is sent).</summary>
    public void UseDiscount(string code)
    {
        var id = Discounts.Single(d => string.Equals((string?)d.Value["code"], code, StringComparison.OrdinalIgnoreCase)).Key;
        DiscountUses.AddOrUpdate(id, 1, (_, n) => n + 1);
    }

    public int GraphQLRequests(string rootField) =>
        Requests.Count(r => r.Body is { } b && b.Contains(rootField, StringComparison.Ordinal));

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        if (body.Contains("metafieldsSet", StringComparison.Ordinal) && Interlocked.Exchange(ref _beforeNextMetafieldsSet, null) is { } before)
            await before();
        if (Interlocked.Decrement(ref _notJson) >= 0)
        {
            Requests.Enqueue(new FakeRequest("POST", context.Request.Path + context.Request.QueryString, 200, body));
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<!DOCTYPE html><html><head><title>Fake Shop</title></head><body><p>This store is unavailable.</p></body></html>");
            return;
        }
        Interlocked.Exchange(ref _notJson, 0);
        var (status, json) = Handle(context, body);
        if (Interlocked.Decrement(ref _lose) >= 0)
            (status, json) = (502, new JsonObject { ["errors"] = "Bad gateway (the request was carried out)" });
        else
            Interlocked.Exchange(ref _lose, 0);
        Requests.Enqueue(new FakeRequest("POST", context.Request.Path + context.Request.QueryString, status, body));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json.ToJsonString());
    }

    private static JsonObject Cost(int available) => new()
    {
        ["cost"] = new JsonObject
        {
            ["requestedQueryCost"] = RequestedCost,
            ["actualQueryCost"] = available >= RequestedCost ? RequestedCost : null,
            ["throttleStatus"] = new JsonObject { ["maximumAvailable"] = 2000.0, ["currentlyAvailable"] = available, ["restoreRate"] = (double)RestoreRate },
        },
    };

    private static JsonObject GraphQLError(string message, string code) =>
        new() { ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["extensions"] = new JsonObject { ["code"] = code } }) };

    private (int, JsonObject) Handle(HttpContext context, string body)
    {
        if (_failures.TryDequeue(out var failure))
        {
            if (failure.RetryAfter is { } after)
                context.Response.Headers.RetryAfter = after;
            return (failure.Status, new JsonObject { ["errors"] = "Injected failure" });
        }
        if (context.Request.Headers["X-Shopify-Access-Token"] != AccessToken)
            return (401, new JsonObject { ["errors"] = "[API] Invalid API key or access token (unrecognized login or wrong password)" });
        if (Interlocked.Decrement(ref _throttles) >= 0)
        {
            var throttled = GraphQLError("Throttled", "THROTTLED");
            throttled["extensions"] = Cost(available: 1);
            return (200, throttled);
        }
        Interlocked.Exchange(ref _throttles, 0);

        JsonObject request;
        GraphQLOperationDefinition operation;
        try
        {
            request = JsonNode.Parse(body) as JsonObject ?? throw new FormatException("not an object");
            var document = Parser.Parse((string?)request["query"] ?? throw new FormatException("no query"));
            operation = document.Definitions.OfType<GraphQLOperationDefinition>().Single();
        }
        catch (Exception e)
        {
            return (400, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = $"Parse error: {e.Message}" }) });
        }
        var variables = request["variables"] as JsonObject ?? new JsonObject();
        var data = new JsonObject();
        foreach (var field in operation.SelectionSet.Selections.OfType<GraphQLField>())
        {
            var name = field.Name.StringValue;
            var args = (field.Arguments?.Items ?? []).ToDictionary(a => a.Name.StringValue, a => Value(a.Value, variables));
            JsonNode? result;
            try
            {
                result = Resolve(operation.Operation, name, args);
            }
            catch (FakeGraphQLError e)
            {
                var error = GraphQLError(e.Message, e.Code);
                error["errors"]![0]!["path"] = new JsonArray(name);
                error["data"] = null;
                error["extensions"] = Cost(2000);
                return (200, error);
            }
            data[field.Alias?.Name.StringValue ?? name] = Select(result, field.SelectionSet);
        }
        return (200, new JsonObject { ["data"] = data, ["extensions"] = Cost(2000 - RequestedCost) });
    }

    private sealed class FakeGraphQLError(string message, string code) : Exception(message)
    {
        public string Code { get; } = code;
    }

    private JsonNode? Resolve(OperationType operation, string field, Dictionary<string, JsonNode?> args)
    {
        if (DeniedFields.ContainsKey(field))
            throw new FakeGraphQLError($"Access denied for {field} field.", "ACCESS_DENIED");
        switch (operation, field)
        {
            case (OperationType.Query, "shop"):
                return new JsonObject { ["name"] = ShopName, ["myshopifyDomain"] = ShopDomain, ["id"] = "gid://shopify/Shop/1" };
            case (OperationType.Query, "orders"):
            {
                // Only the search syntax the reconciliation sends: updated_at:>'ISO time'; sorted by updatedAt, paged by cursor.
                var search = (string?)args.GetValueOrDefault("query") ?? "";
                var match = System.Text.RegularExpressions.Regex.Match(search, @"updated_at:>'([^']+)'");
                var after = match.Success ? DateTimeOffset.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
                var all = Orders.Values.Where(o => DateTimeOffset.Parse((string)o["updatedAt"]!, CultureInfo.InvariantCulture) > after)
                    .OrderBy(o => DateTimeOffset.Parse((string)o["updatedAt"]!, CultureInfo.InvariantCulture)).ToList();
                var first = (int)((long?)args.GetValueOrDefault("first")?.GetValue<long>() ?? 50);
                var skip = int.TryParse((string?)args.GetValueOrDefault("after"), out var s) ? s : 0;
                var page = all.Skip(skip).Take(first).ToList();
                return new JsonObject
                {
                    ["nodes"] = new JsonArray([.. page.Select(o => o.DeepClone())]),
                    ["pageInfo"] = new JsonObject { ["hasNextPage"] = skip + page.Count < all.Count, ["endCursor"] = (skip + page.Count).ToString(CultureInfo.InvariantCulture) },
                };
            }
            case (OperationType.Query, "webhookSubscriptions"):
            {
                // Filters as Shopify's: topics (a list of enum values) and uri, when given.
                var topics = (args.GetValueOrDefault("topics") as JsonArray)?.Select(x => (string?)x).ToHashSet();
                var uriFilter = (string?)args.GetValueOrDefault("uri");
                return new JsonObject
                {
                    ["nodes"] = new JsonArray([.. Subscriptions.Values
                        .Where(s => (topics is null || topics.Contains(s.Topic)) && (uriFilter is null || s.Uri == uriFilter))
                        .OrderBy(s => s.Id, StringComparer.Ordinal).Select(SubscriptionJson)]),
                };
            }
            case (OperationType.Mutation, "webhookSubscriptionCreate"):
            {
                if (!CanWriteWebhooks)
                    throw new FakeGraphQLError("Access denied for webhookSubscriptionCreate field. Required access: `write_webhooks` access scope.", "ACCESS_DENIED");
                var topic = (string?)args.GetValueOrDefault("topic") ?? throw new FakeGraphQLError("Argument 'topic' is required", "argumentLiteralsIncompatible");
                var input = args.GetValueOrDefault("webhookSubscription") as JsonObject;
                var uri = (string?)input?["uri"] ?? (string?)input?["callbackUrl"];
                if (uri is null)
                    return new JsonObject { ["webhookSubscription"] = null, ["userErrors"] = new JsonArray(UserError("webhookSubscription.uri", "Address can't be blank")) };
                if (Subscriptions.Values.Any(s => s.Topic == topic && s.Uri == uri))
                    return new JsonObject { ["webhookSubscription"] = null, ["userErrors"] = new JsonArray(UserError("address", "Address for this topic has already been taken")) };
                var sub = new FakeShopifySubscription($"gid://shopify/WebhookSubscription/{Interlocked.Increment(ref _nextId)}", topic, uri);
                Subscriptions[sub.Id] = sub;
                return new JsonObject { ["webhookSubscription"] = SubscriptionJson(sub), ["userErrors"] = new JsonArray() };
            }
            case (OperationType.Mutation, "webhookSubscriptionDelete"):
            {
                var id = (string?)args.GetValueOrDefault("id") ?? "";
                return Subscriptions.TryRemove(id, out _)
                    ? new JsonObject { ["deletedWebhookSubscriptionId"] = id, ["userErrors"] = new JsonArray() }
                    : new JsonObject { ["deletedWebhookSubscriptionId"] = null, ["userErrors"] = new JsonArray(UserError("id", "Webhook subscription does not exist")) };
            }
            case (OperationType.Mutation, "metafieldsSet"):
            {
                var list = args.GetValueOrDefault("metafields") as JsonArray
                    ?? throw new FakeGraphQLError("Argument 'metafields' is required", "argumentLiteralsIncompatible");
                if (list.Count > 25)
                    return new JsonObject { ["metafields"] = null, ["userErrors"] = new JsonArray(UserError("metafields", "Exceeded the maximum metafields input limit of 25.", "LESS_THAN_OR_EQUAL_TO")) };
                var set = new JsonArray();
                foreach (var m in list.OfType<JsonObject>())
                {
                    var (owner, ns, key, type, value) = ((string?)m["ownerId"], (string?)m["namespace"], (string?)m["key"], (string?)m["type"], (string?)m["value"]);
                    if (owner is null || !owner.StartsWith("gid://shopify/Customer/", StringComparison.Ordinal) || ns is null || key is null || type is null || string.IsNullOrEmpty(value))
                        return new JsonObject { ["metafields"] = null, ["userErrors"] = new JsonArray(UserError("metafields", "Metafield is invalid.", "INVALID_VALUE")) };
                    Metafields[(owner, ns, key)] = value;
                    set.Add(new JsonObject { ["id"] = $"gid://shopify/Metafield/{Interlocked.Increment(ref _nextId)}", ["namespace"] = ns, ["key"] = key, ["value"] = value, ["type"] = type });
                }
                return new JsonObject { ["metafields"] = set, ["userErrors"] = new JsonArray() };
            }
            case (OperationType.Mutation, "discountCodeBasicCreate"):
            {
                var input = args.GetValueOrDefault("basicCodeDiscount") as JsonObject
                    ?? throw new FakeGraphQLError("Argument 'basicCodeDiscount' is required", "argumentLiteralsIncompatible");
                var code = (string?)input["code"];
                var errors = new JsonArray();
                if (string.IsNullOrEmpty(code))
                    errors.Add(UserError("basicCodeDiscount.code", "Code can't be blank", "BLANK"));
                else if (Discounts.Values.Any(d => string.Equals((string?)d["code"], code, StringComparison.OrdinalIgnoreCase)))
                    errors.Add(UserError("basicCodeDiscount.code", "Code must be unique. Please try a different code.", "TAKEN"));
                if (input["customerGets"]?["value"] is null)
                    errors.Add(UserError("basicCodeDiscount.customerGets.value", "Value can't be blank", "BLANK"));
                if (errors.Count > 0)
                    return new JsonObject { ["codeDiscountNode"] = null, ["userErrors"] = errors };
                var id = $"gid://shopify/DiscountCodeNode/{Interlocked.Increment(ref _nextId)}";
                Discounts[id] = (JsonObject)input.DeepClone();
                return new JsonObject { ["codeDiscountNode"] = new JsonObject { ["id"] = id }, ["userErrors"] = new JsonArray() };
            }
            case (OperationType.Query, "codeDiscountNodeByCode"):
            {
                var code = (string?)args.GetValueOrDefault("code") ?? throw new FakeGraphQLError("Argument 'code' is required", "argumentLiteralsIncompatible");
                var found = Discounts.FirstOrDefault(d => string.Equals((string?)d.Value["code"], code, StringComparison.OrdinalIgnoreCase));
                return found.Key is null ? null : new JsonObject { ["id"] = found.Key };
            }
            case (OperationType.Query, "codeDiscountNode"):
            {
                var id = (string?)args.GetValueOrDefault("id") ?? "";
                return Discounts.TryGetValue(id, out var discount)
                    ? new JsonObject
                    {
                        ["id"] = id,
                        ["codeDiscount"] = new JsonObject
                        {
                            ["__typename"] = "DiscountCodeBasic", ["title"] = (string?)discount["title"], ["codes"] = new JsonObject { ["nodes"] = new JsonArray(new JsonObject { ["code"] = (string?)discount["code"] }) },
                            ["asyncUsageCount"] = DiscountUses.GetValueOrDefault(id), ["usageLimit"] = discount["usageLimit"]?.DeepClone(),
                        },
                    }
                    : null;
            }
            case (OperationType.Mutation, "discountCodeDelete"):
            {
                var id = (string?)args.GetValueOrDefault("id") ?? "";
                return Discounts.TryRemove(id, out _)
                    ? new JsonObject { ["deletedCodeDiscountId"] = id, ["userErrors"] = new JsonArray() }
                    : new JsonObject { ["deletedCodeDiscountId"] = null, ["userErrors"] = new JsonArray(UserError("id", "Discount does not exist", "INVALID")) };
            }
            default:
                throw new FakeGraphQLError($"Field '{field}' doesn't exist on type '{(operation == OperationType.Query ? "QueryRoot" : "Mutation")}'", "undefinedField");
        }
    }

    private static JsonObject UserError(string field, string message, string? code = null)
    {
        var e = new JsonObject { ["field"] = new JsonArray([.. field.Split('.').Select(f => (JsonNode)f)]), ["message"] = message };
        if (code is not null)
            e["code"] = code;
        return e;
    }

    private static JsonObject SubscriptionJson(FakeShopifySubscription s) => new()
    {
        ["id"] = s.Id, ["topic"] = s.Topic, ["uri"] = s.Uri, ["format"] = "JSON",
        ["endpoint"] = new JsonObject { ["__typename"] = "WebhookHttpEndpoint", ["callbackUrl"] = s.Uri },
    };

    /// <summary>Keeps only the selected fields (recursively, through lists), as a GraphQL server answers.</summary>
    private static JsonNode? Select(JsonNode? value, GraphQLSelectionSet? selection)
    {
        if (value is null || selection is null)
            return value?.DeepClone();
        if (value is JsonArray list)
            return new JsonArray([.. list.Select(item => Select(item, selection))]);
        if (value is not JsonObject obj)
            return value.DeepClone();
        var result = new JsonObject();
        foreach (var field in Fields(selection, (string?)obj["__typename"]))
        {
            var name = field.Name.StringValue;
            if (!obj.TryGetPropertyValue(name, out var child) && name != "__typename")
                throw new InvalidOperationException($"The fake has no field '{name}'.");
            result[field.Alias?.Name.StringValue ?? name] = Select(child, field.SelectionSet);
        }
        return result;
    }

    /// <summary>The fields selected on an object of <paramref name="typeName"/>: its own, and those of inline fragments on its type.</summary>
    private static IEnumerable<GraphQLField> Fields(GraphQLSelectionSet selection, string? typeName)
    {
        foreach (var item in selection.Selections)
        {
            if (item is GraphQLField field)
                yield return field;
            else if (item is GraphQLInlineFragment fragment
                     && (fragment.TypeCondition is null || fragment.TypeCondition.Type.Name.StringValue == typeName))
                foreach (var inner in Fields(fragment.SelectionSet, typeName))
                    yield return inner;
        }
    }

    /// <summary>An argument's value: a variable's JSON, or a literal converted to JSON.</summary>
    private static JsonNode? Value(GraphQLValue value, JsonObject variables) => value switch
    {
        GraphQLVariable v => variables[v.Name.StringValue]?.DeepClone(),
        GraphQLStringValue s => JsonValue.Create(s.Value.ToString()),
        GraphQLIntValue i => JsonValue.Create(long.Parse(i.Value.Span, CultureInfo.InvariantCulture)),
        GraphQLFloatValue f => JsonValue.Create(decimal.Parse(f.Value.Span, CultureInfo.InvariantCulture)),
        GraphQLBooleanValue b => JsonValue.Create(b.BoolValue),
        GraphQLEnumValue e => JsonValue.Create(e.Name.StringValue),
        GraphQLNullValue => null,
        GraphQLListValue l => new JsonArray([.. (l.Values ?? []).Select(x => Value(x, variables))]),
        GraphQLObjectValue o => new JsonObject((o.Fields ?? []).Select(x => KeyValuePair.Create(x.Name.StringValue, Value(x.Value, variables)))),
        _ => throw new NotSupportedException(value.GetType().Name),
    };

    /// <summary>ORDERS_PAID → orders/paid (the header form of a topic).</summary>
    public static string HeaderTopic(string enumTopic)
    {
        var i = enumTopic.IndexOf('_');
        return i < 0 ? enumTopic.ToLowerInvariant() : $"{enumTopic[..i].ToLowerInvariant()}/{enumTopic[(i + 1)..].ToLowerInvariant()}";
    }

    /// <summary>
    /// Delivers <paramref name="payload"/> for <paramref name="topic"/> (header form, e.g. <c>orders/paid</c>) to every
    /// subscription of that topic, signed with <see cref="ClientSecret"/> (or <paramref name="signWith"/>). The same
    /// <paramref name="eventId"/> again is a retry of the same event (Shopify's duplicates share X-Shopify-Event-Id).
    /// </summary>
    public async Task<IReadOnlyList<FakeDeliveryResult>> SendWebhookAsync(string topic, JsonObject payload, string? eventId = null, string? signWith = null)
    {
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        eventId ??= Guid.NewGuid().ToString();
        var results = new List<FakeDeliveryResult>();
        foreach (var sub in Subscriptions.Values.Where(s => s.HeaderTopic == topic).OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            var webhookId = Guid.NewGuid().ToString();
            FakeDeliveryResult result;
            var tries = 0;
            do
            {
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                // A retry repeats the event id (and the webhook id), so the receiver can dedupe it.
                result = await FakeStoreHost.PostAsync(sub.Uri, content,
                [
                    new("X-Shopify-Topic", topic),
                    new("X-Shopify-Shop-Domain", ShopDomain),
                    new("X-Shopify-API-Version", ApiVersion),
                    new("X-Shopify-Webhook-Id", webhookId),
                    new("X-Shopify-Event-Id", eventId),
                    new("X-Shopify-Triggered-At", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)),
                    new("X-Shopify-Hmac-Sha256", FakeStoreHost.Base64Hmac(signWith ?? ClientSecret, bytes)),
                ], webhookId);
                Sent.Enqueue(result);
            }
            while (RetryFailedDeliveries && result.Status is < 200 or >= 300 && ++tries <= DeliveryRetries);
            if (result.Status is >= 200 and < 300)
                sub.FailedEvents = 0;
            else if (RetryFailedDeliveries && ++sub.FailedEvents >= FailedEventsBeforeDelete)
                Subscriptions.TryRemove(sub.Id, out _);
            results.Add(result);
        }
        return results;
    }

    public Task<IReadOnlyList<FakeDeliveryResult>> SendOrderPaidAsync(JsonObject order, string? eventId = null) => SendWebhookAsync("orders/paid", order, eventId);
    public Task<IReadOnlyList<FakeDeliveryResult>> SendOrderUpdatedAsync(JsonObject order, string? eventId = null) => SendWebhookAsync("orders/updated", order, eventId);
    public Task<IReadOnlyList<FakeDeliveryResult>> SendRefundCreatedAsync(JsonObject refund, string? eventId = null) => SendWebhookAsync("refunds/create", refund, eventId);
    public Task<IReadOnlyList<FakeDeliveryResult>> SendCustomerCreatedAsync(JsonObject customer, string? eventId = null) => SendWebhookAsync("customers/create", customer, eventId);
    public Task<IReadOnlyList<FakeDeliveryResult>> SendCustomerUpdatedAsync(JsonObject customer, string? eventId = null) => SendWebhookAsync("customers/update", customer, eventId);
    public Task<IReadOnlyList<FakeDeliveryResult>> SendProductUpdatedAsync(JsonObject product, string? eventId = null) => SendWebhookAsync("products/update", product, eventId);
    public Task<IReadOnlyList<FakeDeliveryResult>> SendLocationCreatedAsync(JsonObject location, string? eventId = null) => SendWebhookAsync("locations/create", location, eventId);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
