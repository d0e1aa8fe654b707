using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>
/// The signature scheme (README, "Webhooks"): <c>X-HeadlessLoyalty-Signature: t={unix seconds},v1={hex}</c> where hex is
/// the lowercase HMAC-SHA256, keyed with the UTF-8 bytes of the whole secret (<c>whsec_...</c>), of
/// <c>{t}.{raw body}</c>. The timestamp is signed so a receiver can refuse replays older than its tolerance.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-HeadlessLoyalty-Signature";
    public const string TimestampHeader = "X-HeadlessLoyalty-Timestamp";
    public const string EventIdHeader = "X-HeadlessLoyalty-Event-Id";
    public const string EventTypeHeader = "X-HeadlessLoyalty-Event-Type";
    public const string DeliveryIdHeader = "X-HeadlessLoyalty-Delivery-Id";
    public const string AttemptHeader = "X-HeadlessLoyalty-Attempt";
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes, base64url.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The lowercase hex HMAC-SHA256 of <c>{timestamp}.{body}</c>.</summary>
    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>The header value: <c>t={timestamp},v1={hex}</c>.</summary>
    public static string Header(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, timestamp, body)}";

    /// <summary>
    /// What a receiver does: parse the header, recompute in constant time, and refuse a timestamp further than
    /// <paramref name="tolerance"/> from <paramref name="now"/>. Any <c>v1</c> may match (during a rotation a
    /// receiver may check several secrets by calling this once per secret).
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
            return false;
        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
                continue;
            var (key, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                timestamp = t;
            else if (key == "v1")
                signatures.Add(value);
        }
        if (timestamp is not { } ts || Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds)
            return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, ts, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }
}
