namespace HeadlessLoyalty.Api.Purchases;

/// <summary>How a fractional number of points becomes whole points. Nearest rounds halves away from zero (2.5 -> 3).</summary>
public enum PointsRounding { Down, Nearest, Up }

/// <summary>
/// Which amount of a purchase earns points. OrderTotal is the total as the store reports it, shipping and tax included;
/// Subtotal leaves those out (when the store sends one; see <see cref="EarningRules.BaseAmount"/>).
/// </summary>
public enum EarningBase { OrderTotal, Subtotal }

/// <summary>
/// A program's earning rules. The defaults are 1 point per currency unit, rounded down, no bounds, on the order
/// total, no welcome bonus, points approved at once. Checked by <see cref="EarningRules.Validate"/>.
/// </summary>
public sealed record EarningSettings(
    decimal PointsPerCurrencyUnit = 1m,
    PointsRounding Rounding = PointsRounding.Down,
    long MinPointsPerPurchase = 0,
    long? MaxPointsPerPurchase = null,
    EarningBase Base = EarningBase.OrderTotal,
    long WelcomeBonusPoints = 0,
    int PendingDays = 0)
{
    public static EarningSettings Default { get; } = new();
}
