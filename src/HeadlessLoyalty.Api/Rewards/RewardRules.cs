using System.Security.Cryptography;
using System.Text.RegularExpressions;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Rewards;

/// <summary>A reward's definition, as an admin sets it.</summary>
public sealed record RewardDefinition(
    string Name, RewardKind Kind, long PointsCost = 0, decimal? Value = null, decimal? ValuePerPoint = null,
    long? MinPoints = null, long? MaxPoints = null, string CodePrefix = "POINTS", int ValidityDays = 7, bool Enabled = true);

/// <summary>What one redemption costs and gives.</summary>
public sealed record RewardQuote(long Points, decimal? Value);

/// <summary>The pure reward rules: definitions, quotes, codes. No database, no clock.</summary>
public static partial class RewardRules
{
    public const int MaxValidityDays = 90;
    public const int CodeLength = 8;
    /// <summary>No coupon is worth less than a cent: a points discount rounds down to the cent.</summary>
    public const decimal MinCouponValue = 0.01m;
    // No 0/O, 1/I/L: codes are read aloud at tills and typed from emails.
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    [GeneratedRegex("^[A-Z0-9]{1,20}$")]
    private static partial Regex PrefixPattern();

    /// <summary>Checks a definition; throws INVALID_INPUT naming the field.</summary>
    public static void Validate(RewardDefinition d)
    {
        if (string.IsNullOrWhiteSpace(d.Name) || d.Name.Trim().Length > 100)
            throw new InvalidInputException("name", "A reward needs a name of 1-100 characters.");
        if (d.CodePrefix is null || !PrefixPattern().IsMatch(d.CodePrefix))
            throw new InvalidInputException("codePrefix", "The code prefix must be 1-20 characters of A-Z and 0-9.");
        if (d.ValidityDays is < 1 or > MaxValidityDays)
            throw new InvalidInputException("validityDays", $"Coupons stay valid 1 to {MaxValidityDays} days.");
        if (d.Kind == RewardKind.PointsDiscount)
        {
            if (d.ValuePerPoint is not { } perPoint || perPoint <= 0 || perPoint > 1_000m || decimal.Round(perPoint, 4) != perPoint)
                throw new InvalidInputException("valuePerPoint", "A points discount needs the value of one point: more than 0, at most 1,000, at most 4 decimals.");
            if (d.MinPoints is not { } min || min < 1 || min > Ledger.MaxPointsPerEntry)
                throw new InvalidInputException("minPoints", "A points discount needs a minimum of at least 1 point.");
            if (d.MaxPoints is { } max && (max < min || max > Ledger.MaxPointsPerEntry))
                throw new InvalidInputException("maxPoints", "The maximum must be at least the minimum.");
            if (min * perPoint < MinCouponValue)
                throw new InvalidInputException("minPoints", $"The minimum must be worth at least {MinCouponValue} (minPoints x valuePerPoint).");
            if (d.PointsCost != 0 || d.Value is not null)
                throw new InvalidInputException("pointsCost", "A points discount is priced by valuePerPoint, not by pointsCost or value.");
            return;
        }
        if (d.PointsCost < 1 || d.PointsCost > Ledger.MaxPointsPerEntry)
            throw new InvalidInputException("pointsCost", "A reward costs at least 1 point.");
        if (d.ValuePerPoint is not null || d.MinPoints is not null || d.MaxPoints is not null)
            throw new InvalidInputException("valuePerPoint", "Only a points discount takes valuePerPoint, minPoints and maxPoints.");
        switch (d.Kind)
        {
            case RewardKind.FixedAmountCoupon when d.Value is not { } amount || amount <= 0 || amount > 1_000_000m || decimal.Round(amount, 2) != amount:
                throw new InvalidInputException("value", "A fixed-amount coupon needs an amount above 0 with at most 2 decimals.");
            case RewardKind.PercentageCoupon when d.Value is not { } percent || percent <= 0 || percent > 100 || decimal.Round(percent, 2) != percent:
                throw new InvalidInputException("value", "A percentage coupon needs a percent above 0 and at most 100.");
            case RewardKind.FreeShipping when d.Value is not null:
                throw new InvalidInputException("value", "A free-shipping coupon has no value.");
        }
    }

    /// <summary>
    /// The points a redemption takes and the coupon value it gives. A fixed reward costs its points (a requested
    /// number of points must be left out or equal it); a points discount takes the requested points, within its
    /// bounds, at the value per point, rounded down to the cent.
    /// </summary>
    public static RewardQuote Quote(Reward reward, long? requestedPoints)
    {
        if (reward.Kind != RewardKind.PointsDiscount)
        {
            if (requestedPoints is { } p && p != reward.PointsCost)
                throw new InvalidInputException("points", $"This reward costs {reward.PointsCost} points.");
            return new(reward.PointsCost, reward.Value);
        }
        var min = reward.MinPoints ?? 1;
        var points = requestedPoints ?? min;
        if (points < min)
            throw new InvalidInputException("points", $"Redeem at least {min} points.");
        if (reward.MaxPoints is { } max && points > max)
            throw new InvalidInputException("points", $"Redeem at most {max} points.");
        if (points > Ledger.MaxPointsPerEntry)
            throw new InvalidInputException("points", $"Redeem at most {Ledger.MaxPointsPerEntry} points.");
        return new(points, decimal.Floor(points * reward.ValuePerPoint!.Value * 100m) / 100m);
    }

    /// <summary>The fewest points that can be redeemed for <paramref name="reward"/>.</summary>
    public static long CheapestCost(Reward reward) => reward.Kind == RewardKind.PointsDiscount ? reward.MinPoints ?? 1 : reward.PointsCost;

    /// <summary><c>PREFIX-XXXXXXXX</c> from a cryptographic random source (a guessable code is a free discount).</summary>
    public static string NewCode(string prefix)
    {
        Span<char> chars = stackalloc char[CodeLength];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)];
        return $"{prefix}-{chars}";
    }
}
