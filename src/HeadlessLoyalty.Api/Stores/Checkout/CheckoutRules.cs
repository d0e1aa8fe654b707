using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Stores.Checkout;

/// <summary>What points are worth at a store's checkout, under its points-discount settings (pure).</summary>
public static class CheckoutRules
{
    /// <summary>The amount <paramref name="points"/> take off, rounded down to the cent (a discount never exceeds its points' value).</summary>
    public static decimal Worth(long points, decimal pointValue) => Math.Floor(points * pointValue * 100m) / 100m;

    /// <summary>The most points one checkout discount may spend from <paramref name="approved"/>: 0 below the store's minimum.</summary>
    public static long MaxRedeemable(long approved, long minPoints, long? maxPoints)
    {
        var most = maxPoints is { } max ? Math.Min(approved, max) : approved;
        return most >= minPoints && most > 0 ? most : 0;
    }

    /// <summary>Refuses points outside the store's bounds, or worth less than a cent (INVALID_INPUT on <c>points</c>).</summary>
    public static void ValidatePoints(long points, long minPoints, long? maxPoints, decimal pointValue)
    {
        if (points < minPoints || points <= 0)
            throw new InvalidInputException("points", $"At least {minPoints} points per checkout discount on this store.");
        if (maxPoints is { } max && points > max)
            throw new InvalidInputException("points", $"At most {max} points per checkout discount on this store.");
        if (Worth(points, pointValue) <= 0)
            throw new InvalidInputException("points", "These points are worth less than a cent on this store.");
    }
}
