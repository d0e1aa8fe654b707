using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Expiry;

/// <summary>
/// A program's expiry policy; both parts may be on at once (whichever comes first lapses the points).
/// <see cref="LotValidityMonths"/>: a lot is valid through the same day N months after it was earned (days in the
/// program's time zone), null = lots never lapse by date. <see cref="InactivityMonths"/>: a member without qualifying
/// activity (<see cref="ExpiryRules"/>) through the same day N months later loses every remaining point, null = off.
/// The default is no expiry at all.
/// </summary>
public sealed record ExpirySettings(int? LotValidityMonths = null, int? InactivityMonths = null)
{
    public static ExpirySettings Default { get; } = new();
}

/// <summary>The stored <see cref="ExpirySettings"/> of a program (no row: <see cref="ExpirySettings.Default"/>).</summary>
public sealed class ProgramExpiryPolicy : ITenantOwned
{
    public Guid ProgramId { get; set; }
    public int? LotValidityMonths { get; set; }
    public int? InactivityMonths { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public ExpirySettings ToSettings() => new(LotValidityMonths, InactivityMonths);
}
