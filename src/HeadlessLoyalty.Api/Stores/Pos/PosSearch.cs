using System.Globalization;
using HeadlessLoyalty.Api.Members;

namespace HeadlessLoyalty.Api.Stores.Pos;

/// <summary>What a till's search box can mean (pure): an email, a member number, a member code, a phone number.</summary>
public sealed record PosSearchKeys(string? Email, long? Number, string? Code, string? PhoneDigits)
{
    /// <summary>
    /// An '@' makes it an email; otherwise it may be a member code (letters and digits), a member number (digits
    /// only) and a phone number (7 or more digits, formatting ignored), all tried.
    /// </summary>
    public static PosSearchKeys Of(string search)
    {
        var s = search.Trim();
        if (s.Length == 0)
            return new(null, null, null, null);
        if (s.Contains('@'))
            return new(s, null, null, null);
        var digits = new string([.. s.Where(char.IsAsciiDigit)]);
        long? number = s.All(char.IsAsciiDigit) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var code = MemberRules.NormalizeCode(s);
        var phoneish = s.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '.' or '(' or ')');
        return new(null, number, code.All(char.IsAsciiLetterOrDigit) && code.Length > 0 ? code : null, phoneish && digits.Length >= 7 ? digits : null);
    }

    /// <summary>Same phone when the digits match, or one ends with the other's last 7+ digits (a country code typed or not).</summary>
    public static bool PhoneMatches(string? phone, string digits)
    {
        if (phone is null)
            return false;
        var stored = new string([.. phone.Where(char.IsAsciiDigit)]);
        return stored.Length >= 7 && (stored.EndsWith(digits, StringComparison.Ordinal) || digits.EndsWith(stored, StringComparison.Ordinal));
    }
}
