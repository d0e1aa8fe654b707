using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HeadlessLoyalty.Api.Stores.Checkout;

public enum AppProxyVerdict { Valid, Unsigned, Mismatch, Stale }

/// <summary>
/// The Shopify app proxy signature, as documented: drop <c>signature</c>, sort the remaining <c>key=value</c> pairs by key
/// (a repeated key's values joined by <c>,</c>), concatenate with no separator, HMAC-SHA256 with the app's client secret,
/// lower-case hex, compared in constant time; the <c>timestamp</c> (Unix seconds) must be within the allowed skew.
/// </summary>
public static class AppProxySignature
{
    public static string Message(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> query) =>
        string.Concat(query
            .Where(p => p.Key != "signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={string.Join(',', p.Value)}"));

    public static string Sign(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> query, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Message(query))));

    public static AppProxyVerdict Verify(IReadOnlyDictionary<string, IReadOnlyList<string>> query, string secret, DateTimeOffset now, TimeSpan skew)
    {
        if (!query.TryGetValue("signature", out var given) || given.Count != 1 || given[0].Length != 64)
            return AppProxyVerdict.Unsigned;
        var expected = Encoding.ASCII.GetBytes(Sign(query, secret));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(given[0].ToLowerInvariant())))
            return AppProxyVerdict.Mismatch;
        if (!query.TryGetValue("timestamp", out var ts) || ts.Count != 1
            || !long.TryParse(ts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > skew)
            return AppProxyVerdict.Stale;
        return AppProxyVerdict.Valid;
    }
}
