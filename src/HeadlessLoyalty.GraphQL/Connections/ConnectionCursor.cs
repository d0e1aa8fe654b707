using System.Globalization;
using System.Text;

namespace HeadlessLoyalty.GraphQL.Connections;

/// <summary>
/// Offset cursors: base64 of "c1:{offset}:{check}". The version prefix lets the format change without accepting old
/// cursors by accident, and the check digest rejects edited or truncated cursors. The check is not a secret: a
/// cursor only names a position that the client could reach by paging anyway.
/// </summary>
public static class ConnectionCursor
{
    private const string Prefix = "c1:";

    public static string Encode(int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var body = Prefix + offset.ToString(CultureInfo.InvariantCulture);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{body}:{Check(body)}"));
    }

    public static bool TryDecode(string? cursor, out int offset)
    {
        offset = -1;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 64)
            return false;
        Span<byte> bytes = stackalloc byte[48];
        if (!Convert.TryFromBase64String(cursor, bytes, out var length))
            return false;
        var text = Encoding.UTF8.GetString(bytes[..length]);
        var lastColon = text.LastIndexOf(':');
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || lastColon <= Prefix.Length)
            return false;
        var body = text[..lastColon];
        if (!string.Equals(text[(lastColon + 1)..], Check(body), StringComparison.Ordinal))
            return false;
        var digits = body[Prefix.Length..];
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            return false;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    // FNV-1a over the body: enough to detect edits, and dependency-free.
    private static string Check(string body)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(body))
            hash = (hash ^ b) * 16777619u;
        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }
}
