using System.Security.Cryptography;
using System.Text.RegularExpressions;
using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Members;

/// <summary>Pure validation and normalization of member fields; each failure is INVALID_INPUT naming the field.</summary>
public static partial class MemberRules
{
    public const int MaxEmailLength = 320;
    public const int MaxNameLength = 100;
    public const int MaxPhoneLength = 32;
    public const int MemberCodeLength = 8;

    /// <summary>No 0/O, 1/I/L: codes are read aloud at tills and typed from cards.</summary>
    public const string MemberCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    [GeneratedRegex(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9(][0-9 ().\-]*$")]
    private static partial Regex PhonePattern();

    /// <summary>Returns (email as given but trimmed, normalized email).</summary>
    public static (string Email, string Normalized) Email(string? email)
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length == 0)
            throw new InvalidInputException("email", "Email is required.");
        if (trimmed.Length > MaxEmailLength)
            throw new InvalidInputException("email", $"Email must be at most {MaxEmailLength} characters.");
        if (!EmailPattern().IsMatch(trimmed))
            throw new InvalidInputException("email", "Email is not a valid address.");
        return (trimmed, Member.NormalizeEmail(trimmed));
    }

    /// <summary>Blank means "none".</summary>
    public static string? Name(string? name, string field)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return null;
        if (trimmed.Length > MaxNameLength)
            throw new InvalidInputException(field, $"Must be at most {MaxNameLength} characters.");
        if (trimmed.Any(char.IsControl))
            throw new InvalidInputException(field, "Must not contain control characters.");
        return trimmed;
    }

    public static string? Phone(string? phone)
    {
        var trimmed = phone?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return null;
        if (trimmed.Length > MaxPhoneLength || !PhonePattern().IsMatch(trimmed) || trimmed.Count(char.IsAsciiDigit) < 4)
            throw new InvalidInputException("phone", "Phone must be digits, optionally starting with + and separated by spaces, dots, dashes or parentheses.");
        return trimmed;
    }

    /// <summary>
    /// Month and day go together; the year is optional. 29 February is valid without a year (the member celebrates
    /// it whatever the year) and with a leap year only. A year must be from 1900 to <paramref name="today"/>'s year.
    /// </summary>
    public static (int? Month, int? Day, int? Year) Birthday(int? month, int? day, int? year, DateOnly today)
    {
        if (month is null && day is null)
            return year is null ? (null, null, null) : throw new InvalidInputException("birthdayYear", "A birthday year needs a month and day.");
        if (month is not { } m || m is < 1 or > 12)
            throw new InvalidInputException("birthdayMonth", "Birthday month must be 1 to 12.");
        if (year is { } y && (y < 1900 || y > today.Year))
            throw new InvalidInputException("birthdayYear", $"Birthday year must be from 1900 to {today.Year}.");
        var daysInMonth = DateTime.DaysInMonth(year ?? 2000, m); // 2000 is a leap year: 29 Feb allowed without a year
        if (day is not { } d || d < 1 || d > daysInMonth)
            throw new InvalidInputException("birthdayDay", $"Birthday day must be 1 to {daysInMonth} for month {m}{(year is null ? "" : $" of {year}")}.");
        if (year is { } yy && new DateOnly(yy, m, d) > today)
            throw new InvalidInputException("birthdayYear", "Birthday must not be in the future.");
        return (m, d, year);
    }

    public const int MaxStoreLength = 200;
    public const int MaxExternalIdLength = 100;

    /// <summary>Trimmed (store, id) pairs; both required, at most one id per store.</summary>
    public static IReadOnlyList<ExternalIdInput> ExternalIds(IReadOnlyList<ExternalIdInput>? ids)
    {
        if (ids is null)
            return [];
        var result = new List<ExternalIdInput>(ids.Count);
        foreach (var id in ids)
        {
            var store = id.Store?.Trim() ?? "";
            var external = id.ExternalId?.Trim() ?? "";
            if (store.Length is 0 or > MaxStoreLength)
                throw new InvalidInputException("externalIds.store", $"A store is required, at most {MaxStoreLength} characters.");
            if (external.Length is 0 or > MaxExternalIdLength)
                throw new InvalidInputException("externalIds.externalId", $"An external id is required, at most {MaxExternalIdLength} characters.");
            if (result.Any(r => r.Store == store))
                throw new InvalidInputException("externalIds.store", $"Store '{store}' is listed twice: a member has one id per store.");
            result.Add(new ExternalIdInput(store, external));
        }
        return result;
    }

    public static string NewMemberCode() =>
        new(RandomNumberGenerator.GetItems<char>(MemberCodeAlphabet, MemberCodeLength));

    /// <summary>Codes are compared upper-case and without spaces or dashes (as printed in groups on cards).</summary>
    public static string NormalizeCode(string code) =>
        new(code.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant).ToArray());
}
