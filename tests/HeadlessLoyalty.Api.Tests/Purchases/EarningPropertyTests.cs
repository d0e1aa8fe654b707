using FsCheck.Xunit;
using HeadlessLoyalty.Api.Purchases;

namespace HeadlessLoyalty.Api.Tests.Purchases;

public sealed class EarningPropertyTests
{
    private static readonly decimal[] Rates = [0.0001m, 0.01m, 0.5m, 1m, 1.2345m, 3m, 10m, 10_000m];
    private static readonly decimal[] Multipliers = [1m, 1.25m, 1.5m, 2m, 3.3333m, 100m];
    private static readonly PointsRounding[] Roundings = [PointsRounding.Down, PointsRounding.Nearest, PointsRounding.Up];

    /// <summary>
    /// A positive amount with 0 to 4 decimal places, up to 10^11 of its smallest unit. FsCheck's numbers stay small,
    /// so a power of ten drawn from the seed spreads them over every magnitude.
    /// </summary>
    private static decimal Amount(long raw, int seed)
    {
        var scale = (byte)((uint)seed % 5);
        var units = ((ulong)(raw & long.MaxValue) % 99_999UL + 1) * Pow10((uint)seed / 5 % 7);
        return new decimal((int)(units & 0xFFFFFFFF), (int)(units >> 32), 0, false, scale);
    }

    /// <summary>Points awarded, 0 included, spread over every magnitude up to the per-purchase cap.</summary>
    private static long Awarded(long raw, int seed) =>
        (long)Math.Min((ulong)(raw & long.MaxValue) % 1_000UL * Pow10((uint)seed % 8), (ulong)EarningRules.MaxPointsPerPurchase);

    private static ulong Pow10(uint n) => n == 0 ? 1 : 10 * Pow10(n - 1);

    /// <summary>
    /// The cuts split the amount (counted in its smallest unit) into partial refunds; the last one reaches the amount.
    /// Whatever the split, the reversals are each >= 0 and add up to exactly what was awarded.
    /// </summary>
    [Property(MaxTest = 500)]
    public bool Partial_refunds_that_add_up_to_the_amount_take_back_exactly_what_was_awarded(long rawAmount, int scaleSeed, long rawAwarded, int awardSeed, int[] cuts)
    {
        var amount = Amount(rawAmount, scaleSeed);
        var unit = new decimal(1, 0, 0, false, amount.Scale);
        var awarded = Awarded(rawAwarded, awardSeed);

        var refunded = 0m;
        var taken = 0L;
        foreach (var cut in cuts.Append(int.MaxValue))
        {
            var left = amount - refunded;
            if (left == 0) break;
            var units = left / unit;
            var now = cut == int.MaxValue ? left : (1 + (uint)cut % units) * unit;
            var back = EarningRules.ReversalPoints(awarded, amount, refunded, now);
            if (back < 0) return false;
            taken += back;
            refunded += now;
        }
        return refunded == amount && taken == awarded;
    }

    /// <summary>More money never earns fewer points, and a positive amount always earns within [min, max].</summary>
    [Property(MaxTest = 500)]
    public bool Points_grow_with_the_amount_and_stay_within_the_bounds(long a, long b, int scaleSeed, byte rate, byte multiplier, byte rounding, ushort min, ushort span, bool capped)
    {
        var s = new EarningSettings(
            Rates[rate % Rates.Length],
            Roundings[rounding % Roundings.Length],
            min,
            capped ? min + (long)span + 1 : null);
        var m = Multipliers[multiplier % Multipliers.Length];
        var (low, high) = (Amount(a, scaleSeed), Amount(b, scaleSeed >> 3));
        if (low > high) (low, high) = (high, low);

        var pLow = EarningRules.PointsFor(low, s, m);
        var pHigh = EarningRules.PointsFor(high, s, m);
        var max = s.MaxPointsPerPurchase ?? EarningRules.MaxPointsPerPurchase;
        return pLow <= pHigh
            && pLow >= s.MinPointsPerPurchase && pLow <= max
            && pHigh >= s.MinPointsPerPurchase && pHigh <= max;
    }

    [Property(MaxTest = 500)]
    public bool Rounding_up_never_earns_less_than_nearest_and_nearest_never_less_than_down(long a, int scaleSeed, byte rate, byte multiplier, ushort min, bool capped, ushort cap)
    {
        var amount = Amount(a, scaleSeed);
        var m = Multipliers[multiplier % Multipliers.Length];
        var s = new EarningSettings(Rates[rate % Rates.Length], MinPointsPerPurchase: min % 50, MaxPointsPerPurchase: capped ? 50 + cap : null);

        var down = EarningRules.PointsFor(amount, s with { Rounding = PointsRounding.Down }, m);
        var nearest = EarningRules.PointsFor(amount, s with { Rounding = PointsRounding.Nearest }, m);
        var up = EarningRules.PointsFor(amount, s with { Rounding = PointsRounding.Up }, m);
        return up >= nearest && nearest >= down && up - down <= 1;
    }
}
