using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Idempotency;

/// <summary>
/// Runs a write under (operation, key). The first success stores its payload as JSON in the same transaction as
/// the change; a replay with the same canonical input returns that first payload and changes nothing; the same key
/// with a different input is refused (IDEMPOTENCY_KEY_REUSED). Refusals are not stored: retrying a refused request
/// runs it again. Concurrent replays race on the record's primary key: the loser rolls back, retries and finds the
/// winner's record.
/// </summary>
public static class Idempotent
{
    public const int MaxKeyLength = 200;

    // Enums as names: stored payloads must survive a reordering of an enum.
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <param name="change">Loads, applies a rule and stages changes (no SaveChanges); returns the payload to store.</param>
    public static async Task<TPayload> RunAsync<TInput, TPayload>(
        LoyaltyDbContext db, TimeProvider clock, string operation, string? key, bool keyRequired, TInput input,
        Func<CancellationToken, Task<TPayload>> change, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(key))
            return keyRequired ? throw new IdempotencyKeyRequiredException() : await WriteTransaction.RunAsync(db, change, ct);
        if (key.Length > MaxKeyLength)
            throw new InvalidInputException("idempotencyKey", $"The idempotency key must be at most {MaxKeyLength} characters.");

        var hash = Hash(input);
        return await WriteTransaction.RunAsync(db, async token =>
        {
            if (await ReplayAsync<TPayload>(db, operation, key, hash, token) is { } stored)
                return stored.Payload;
            TPayload payload;
            try
            {
                payload = await change(token);
            }
            catch (LoyaltyException)
            {
                // A concurrent first run may have committed after our look-up and changed what the rule saw
                // (e.g. spent the points): its payload, not our refusal, is the answer to this key.
                db.ChangeTracker.Clear();
                if (await ReplayAsync<TPayload>(db, operation, key, hash, token) is { } late)
                    return late.Payload;
                throw;
            }
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Operation = operation,
                Key = key,
                RequestHash = hash,
                ResponseJson = JsonSerializer.Serialize(payload, Json),
                CreatedAt = clock.GetUtcNow(),
            });
            return payload;
        }, ct);
    }

    /// <summary>
    /// The payload a completed run of (operation, key) stored for this input, or null when there is none yet (or no
    /// key): lets a caller answer a replay before work it does outside the transaction (IDEMPOTENCY_KEY_REUSED for
    /// another input, as <see cref="RunAsync"/>).
    /// </summary>
    public static async Task<TPayload?> StoredAsync<TInput, TPayload>(
        LoyaltyDbContext db, string operation, string? key, TInput input, CancellationToken ct = default) where TPayload : class =>
        string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength
            ? null
            : (await ReplayAsync<TPayload>(db, operation, key, Hash(input), ct))?.Payload;

    private sealed record Stored<T>(T Payload);

    private static async Task<Stored<T>?> ReplayAsync<T>(LoyaltyDbContext db, string operation, string key, string hash, CancellationToken ct)
    {
        var record = await db.IdempotencyRecords.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Operation == operation && r.Key == key, ct);
        if (record is null)
            return null;
        if (record.RequestHash != hash)
            throw new IdempotencyKeyReusedException(key);
        return new Stored<T>(JsonSerializer.Deserialize<T>(record.ResponseJson, Json)!);
    }

    /// <summary>SHA-256 (lower-case hex) of the input as canonical JSON: object keys sorted ordinally, no whitespace.</summary>
    public static string Hash<TInput>(TInput input)
    {
        var node = JsonSerializer.SerializeToNode(input, Json);
        var canonical = Canonical(node)?.ToJsonString() ?? "null";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
