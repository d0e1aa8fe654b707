using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Purchases;

/// <summary>
/// The pure earning rules: no database, no clock. How many points a purchase earns, how many a refund takes back,
/// and when pending points become spendable.
/// </summary>
public static class EarningRules
{
    /// <summary>Most points one purchase can earn: the ledger's bound on one entry, so an award always fits in one.</summary>
    public const long MaxPointsPerPurchase = Ledger.MaxPointsPerEntry;
    public const int MaxPendingDays = 365;
    public const decimal MaxPointsPerCurrencyUnit = 10_000m;
    public const int MaxRateDecimals = 4;
    /// <summary>Tier multipliers only ever raise earning; 100 keeps a typo (1000 for 10.00) from minting points.</summary>
    public const decimal MinMultiplier = 1m;
    public const decimal MaxMultiplier = 100m;

    /// <summary>Checks a program's earning settings; throws INVALID_INPUT naming the first bad field.</summary>
    public static void Validate(EarningSettings s)
    {
        var rate = s.PointsPerCurrencyUnit;
        if (rate <= 0 || rate > MaxPointsPerCurrencyUnit)
            throw new InvalidInputException("pointsPerCurrencyUnit", $"Points per currency unit must be greater than 0 and at most {MaxPointsPerCurrencyUnit}.");
        // Scale alone would refuse 1.50000 (scale 5) although it is 1.5: compare with the rounded value instead.
        if (decimal.Round(rate, MaxRateDecimals) != rate)
            throw new InvalidInputException("pointsPerCurrencyUnit", $"Points per currency unit must have at most {MaxRateDecimals} decimal places.");
        if (s.MinPointsPerPurchase is < 0 or > MaxPointsPerPurchase)
            throw new InvalidInputException("minPointsPerPurchase", $"Minimum points per purchase must be between 0 and {MaxPointsPerPurchase}.");
        if (s.MaxPointsPerPurchase is { } max)
        {
            if (max is < 1 or > MaxPointsPerPurchase)
                throw new InvalidInputException("maxPointsPerPurchase", $"Maximum points per purchase must be between 1 and {MaxPointsPerPurchase}, or empty for no maximum.");
            if (max < s.MinPointsPerPurchase)
                throw new InvalidInputException("maxPointsPerPurchase", $"Maximum points per purchase ({max}) must not be below the minimum ({s.MinPointsPerPurchase}).");
        }
        if (s.WelcomeBonusPoints is < 0 or > MaxPointsPerPurchase)
            throw new InvalidInputException("welcomeBonusPoints", $"Welcome bonus points must be between 0 and {MaxPointsPerPurchase}.");
        if (s.PendingDays is < 0 or > MaxPendingDays)
            throw new InvalidInputException("pendingDays", $"Pending days must be between 0 and {MaxPendingDays}.");
    }

    /// <summary>
    /// The amount that earns points. With <see cref="EarningBase.Subtotal"/> a store that sends no subtotal falls back
    /// to the order total: the member still earns, at worst on shipping and tax too. Negative amounts are refused
    /// (field <c>amount</c> for the total, <c>subtotal</c> for the subtotal).
    /// </summary>
    public static decimal BaseAmount(decimal orderTotal, decimal? subtotal, EarningSettings s)
    {
        if (orderTotal < 0)
            throw new InvalidInputException("amount", "The amount must not be negative.");
        if (subtotal < 0)
            throw new InvalidInputException("subtotal", "The subtotal must not be negative.");
        return s.Base == EarningBase.Subtotal ? subtotal ?? orderTotal : orderTotal;
    }

    /// <summary>
    /// Points earned on <paramref name="baseAmount"/>: amount x rate x (tier) multiplier, rounded per the settings, then
    /// clamped to [minimum, maximum]. The minimum is a floor guarantee: every purchase that has an amount (greater than
    /// zero) earns at least that many points, however small it is; a zero amount earns nothing.
    /// </summary>
    public static long PointsFor(decimal baseAmount, EarningSettings s, decimal multiplier = 1m)
    {
        if (baseAmount < 0)
            throw new InvalidInputException("amount", "The amount must not be negative.");
        if (multiplier is < MinMultiplier or > MaxMultiplier)
            throw new InvalidInputException("multiplier", $"The multiplier must be between {MinMultiplier} and {MaxMultiplier}.");
        Validate(s);
        if (baseAmount == 0)
            return 0;

        var upper = s.MaxPointsPerPurchase ?? MaxPointsPerPurchase;
        // factor <= 10 000 x 100, so the product only overflows decimal for absurd amounts; anything that reaches
        // upper + 1 before rounding ends at the cap whatever the rounding, so such amounts stop here.
        var factor = s.PointsPerCurrencyUnit * multiplier;
        if (baseAmount >= (upper + 1m) / factor)
            return upper;

        var raw = baseAmount * factor;
        var points = (long)(s.Rounding switch
        {
            PointsRounding.Down => decimal.Floor(raw),
            PointsRounding.Up => decimal.Ceiling(raw),
            _ => decimal.Round(raw, MidpointRounding.AwayFromZero),
        });
        return Math.Clamp(points, s.MinPointsPerPurchase, upper);
    }

    /// <summary>
    /// Points to take back (>= 0) for a refund of <paramref name="refundNow"/> on a purchase of <paramref name="amount"/>
    /// that awarded <paramref name="awarded"/> points and already had <paramref name="refundedBefore"/> refunded.
    /// Proportional and computed cumulatively (share of everything refunded so far minus the share already taken, each
    /// rounded half away from zero), and the refund that reaches the full amount takes exactly the rest: so any sequence
    /// of partial refunds that adds up to the amount takes back exactly <paramref name="awarded"/>, no drift.
    /// </summary>
    public static long ReversalPoints(long awarded, decimal amount, decimal refundedBefore, decimal refundNow)
    {
        // awarded comes from the ledger, not from a client: a bad value is a bug, not an input error.
        ArgumentOutOfRangeException.ThrowIfNegative(awarded);
        if (amount <= 0)
            throw new InvalidInputException("amount", "The purchase amount must be greater than 0 to be refunded.");
        if (refundNow <= 0)
            throw new InvalidInputException("amount", "The refund amount must be greater than 0.");
        if (refundedBefore < 0)
            throw new InvalidInputException("amount", "The amount already refunded must not be negative.");
        if (refundedBefore + refundNow > amount)
            throw new InvalidInputException("amount", $"The refund of {refundNow} exceeds what is left to refund ({amount - refundedBefore}).");
        if (awarded == 0)
            return 0;

        var takenBefore = Share(awarded, refundedBefore, amount);
        return IsFullRefund(amount, refundedBefore, refundNow)
            ? awarded - takenBefore
            : Share(awarded, refundedBefore + refundNow, amount) - takenBefore;
    }

    /// <summary>True when this refund brings the refunded total to the purchase amount (over-refunds are refused by <see cref="ReversalPoints"/>).</summary>
    public static bool IsFullRefund(decimal amount, decimal refundedBefore, decimal refundNow) =>
        refundedBefore + refundNow >= amount;

    /// <summary>When pending points of a purchase become spendable: the return window starts when the purchase completes.</summary>
    public static DateTimeOffset ApprovalDueAt(DateTimeOffset completedAt, EarningSettings s) =>
        completedAt.AddDays(s.PendingDays);

    /// <summary>
    /// awarded x part / amount rounded half away from zero. Multiplying first keeps halves exact (100 x 15 / 30 is 50,
    /// not 49.99...); the path depends on amount and awarded only, so within one purchase the share stays monotonic in
    /// part (which keeps every reversal >= 0) even where the product would overflow and the ratio goes first.
    /// </summary>
    private static long Share(long awarded, decimal part, decimal amount)
    {
        var exact = amount <= decimal.MaxValue / awarded;
        var share = exact ? awarded * part / amount : awarded * (part / amount);
        return (long)decimal.Round(share, MidpointRounding.AwayFromZero);
    }
}
