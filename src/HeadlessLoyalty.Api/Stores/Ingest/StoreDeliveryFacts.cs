using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HeadlessLoyalty.Api.Stores.Ingest;

/// <summary>What the ingest reads from a delivery before answering: its dedupe key, the resource it names and the email hash.</summary>
public sealed record StoreDeliveryFacts(string? DedupeKey, string? ResourceId, string? EmailHash, string? Error)
{
    /// <summary>
    /// WooCommerce <c>order.*</c>: <c>order:{id}:{status}:{refund ids}</c> (per store, order and awarded status; a new
    /// refund is a new key); other WooCommerce topics: <c>{topic}:{delivery id}</c>. Shopify: <c>{topic}:{event id}</c>
    /// (the webhook id when there is no event id). A body that is not a JSON object has no key and an <see cref="Error"/>.
    /// </summary>
    public static StoreDeliveryFacts Parse(StorePlatform platform, string topic, string? deliveryId, string? eventId, ReadOnlySpan<byte> body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            return new(null, null, null, "The body is not JSON.");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new(null, null, null, "The body is not a JSON object.");
            if (platform == StorePlatform.WooCommerce)
            {
                var id = StoreJson.Id(root, "id");
                if (topic.StartsWith("order.", StringComparison.Ordinal) && id is not null)
                {
                    var status = StoreJson.String(root, "status") ?? "deleted";
                    var refunds = root.TryGetProperty("refunds", out var r) && r.ValueKind == JsonValueKind.Array
                        ? string.Join(",", r.EnumerateArray().Select(x => StoreJson.Id(x, "id")).Where(x => x is not null).Order(StringComparer.Ordinal))
                        : "";
                    var email = root.TryGetProperty("billing", out var billing) && billing.ValueKind == JsonValueKind.Object ? StoreJson.String(billing, "email") : null;
                    return new(Bound($"order:{id}:{status}:{refunds}"), id, HashEmail(email), null);
                }
                return new(deliveryId is { Length: > 0 } ? Bound($"{topic}:{deliveryId}") : null, id, null, null);
            }

            var resource = topic == "refunds/create" ? StoreJson.Id(root, "order_id") : StoreJson.Id(root, "id");
            var address = topic.StartsWith("orders/", StringComparison.Ordinal)
                ? StoreJson.String(root, "email") ?? StoreJson.String(root, "contact_email")
                  ?? (root.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.Object ? StoreJson.String(customer, "email") : null)
                : topic.StartsWith("customers/", StringComparison.Ordinal) ? StoreJson.String(root, "email") : null;
            var key = eventId is { Length: > 0 } ? $"{topic}:{eventId}" : deliveryId is { Length: > 0 } ? $"{topic}:webhook:{deliveryId}" : null;
            return new(key is null ? null : Bound(key), resource, HashEmail(address), null);
        }
    }

    /// <summary>Hex SHA-256 of the trimmed, lower-cased address; null for none. Receipts keep this, never the address.</summary>
    public static string? HashEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));

    /// <summary>Keys longer than the column are replaced by their hash (still unique in practice).</summary>
    private static string Bound(string key) =>
        key.Length <= StoreDelivery.MaxKeyLength ? key : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>Lenient readers of store JSON: ids may be numbers or strings; money is a string ("12.50", "-5.00").</summary>
public static class StoreJson
{
    public static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    public static string? Id(JsonElement e, string name)
    {
        var s = String(e, name);
        return s is null or "0" ? null : s;
    }

    public static decimal? Money(JsonElement e, string name) =>
        String(e, name) is { } s && decimal.TryParse(s, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    public static long? Long(JsonElement e, string name) =>
        String(e, name) is { } s && long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>WooCommerce *_gmt dates carry no zone (UTC); Shopify dates carry an offset.</summary>
    public static DateTimeOffset? Date(JsonElement e, string name) =>
        String(e, name) is { } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var d) ? d : null;

    public static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    public static JsonElement? Object(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;
}
