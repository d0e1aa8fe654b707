namespace HeadlessLoyalty.Api.Tenancy;

/// <summary>A loyalty program: the tenant. Every other row belongs to exactly one program.</summary>
public sealed class LoyaltyProgram
{
    public required Guid Id { get; init; }
    /// <summary>URL-safe unique handle, e.g. <c>demo</c>; tokens name the program by slug.</summary>
    public required string Slug { get; init; }
    public required string Name { get; set; }
    /// <summary>ISO 4217 currency code, upper case.</summary>
    public required string Currency { get; set; }
    /// <summary>IANA time zone id; days (birthdays, expiry) are counted in it.</summary>
    public string TimeZone { get; set; } = "UTC";
    public required DateTimeOffset CreatedAt { get; init; }
}
