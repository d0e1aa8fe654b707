using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Purchases;

/// <summary>A program's stored <see cref="EarningSettings"/>; a program without a row earns by <see cref="EarningSettings.Default"/>.</summary>
public sealed class ProgramEarningRules : ITenantOwned
{
    public Guid ProgramId { get; set; }
    public decimal PointsPerCurrencyUnit { get; set; }
    public PointsRounding Rounding { get; set; }
    public long MinPointsPerPurchase { get; set; }
    public long? MaxPointsPerPurchase { get; set; }
    public EarningBase Base { get; set; }
    public long WelcomeBonusPoints { get; set; }
    public int PendingDays { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public EarningSettings ToSettings() =>
        new(PointsPerCurrencyUnit, Rounding, MinPointsPerPurchase, MaxPointsPerPurchase, Base, WelcomeBonusPoints, PendingDays);

    public void CopyFrom(EarningSettings s, DateTimeOffset at)
    {
        PointsPerCurrencyUnit = s.PointsPerCurrencyUnit;
        Rounding = s.Rounding;
        MinPointsPerPurchase = s.MinPointsPerPurchase;
        MaxPointsPerPurchase = s.MaxPointsPerPurchase;
        Base = s.Base;
        WelcomeBonusPoints = s.WelcomeBonusPoints;
        PendingDays = s.PendingDays;
        UpdatedAt = at;
    }
}
