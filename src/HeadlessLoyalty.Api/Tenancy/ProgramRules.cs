using System.Globalization;
using System.Text.RegularExpressions;

namespace HeadlessLoyalty.Api.Tenancy;

/// <summary>Why a program definition was refused; <see cref="Code"/> is stable, the message is for humans.</summary>
public sealed record ProgramError(string Code, string Message);

/// <summary>Pure validation of a new program's slug, name, currency and time zone.</summary>
public static partial class ProgramRules
{
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex SlugPattern();

    private static readonly Lazy<HashSet<string>> Currencies = new(() => CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal));

    public static ProgramError? Validate(string slug, string name, string currency, string timeZone)
    {
        if (!SlugPattern().IsMatch(slug))
            return new("INVALID_SLUG", $"Slug '{slug}' must be 1-64 characters of a-z, 0-9 and '-', not starting or ending with '-'.");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            return new("INVALID_NAME", "Name must be 1-200 characters.");
        if (!IsCurrency(currency))
            return new("INVALID_CURRENCY", $"Currency '{currency}' is not an ISO 4217 code (e.g. USD, EUR).");
        if (!IsTimeZone(timeZone))
            return new("INVALID_TIME_ZONE", $"Time zone '{timeZone}' is not an IANA time zone id (e.g. Europe/Paris).");
        return null;
    }

    public static bool IsCurrency(string code) => code.Length == 3 && Currencies.Value.Contains(code);

    public static bool IsTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _) && id != "Local";
}
