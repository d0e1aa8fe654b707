using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;

namespace HeadlessLoyalty.Api.Referrals;

/// <summary>The pure referral rules: settings, share links, what qualifies, what counts as the same person. No database, no clock.</summary>
public static class ReferralRules
{
    public const int MaxBaseUrlLength = 500;

    /// <summary>Checks settings and returns them normalized (base URL trimmed, blank = none); throws INVALID_INPUT naming the field.</summary>
    public static ReferralSettings Validate(ReferralSettings s)
    {
        var baseUrl = string.IsNullOrWhiteSpace(s.BaseUrl) ? null : s.BaseUrl.Trim();
        if (baseUrl is not null && (baseUrl.Length > MaxBaseUrlLength
            || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || baseUrl.Any(char.IsWhiteSpace)))
            throw new InvalidInputException("baseUrl", $"The base URL must be an absolute http(s) URL of at most {MaxBaseUrlLength} characters, e.g. https://shop.example/?ref=");
        ValidateSide(s.ReferrerRewardKind, s.ReferrerPoints, s.ReferrerRewardId, "referrer");
        ValidateSide(s.FriendRewardKind, s.FriendPoints, s.FriendRewardId, "friend");
        if (s.MinPurchaseAmount < 0 || s.MinPurchaseAmount > PurchaseOperations.MaxAmount || decimal.Round(s.MinPurchaseAmount, 4) != s.MinPurchaseAmount)
            throw new InvalidInputException("minPurchaseAmount", $"The minimum purchase amount must be between 0 and {PurchaseOperations.MaxAmount}, with at most 4 decimals.");
        return s with { BaseUrl = baseUrl };
    }

    private static void ValidateSide(ReferralRewardKind kind, long points, Guid? rewardId, string side)
    {
        switch (kind)
        {
            case ReferralRewardKind.Points when points is < 1 or > Ledger.MaxPointsPerEntry:
                throw new InvalidInputException($"{side}Points", $"A points reward gives 1 to {Ledger.MaxPointsPerEntry} points.");
            case ReferralRewardKind.Points when rewardId is not null:
                throw new InvalidInputException($"{side}RewardId", "A points reward names no reward.");
            case ReferralRewardKind.Coupon when rewardId is null:
                throw new InvalidInputException($"{side}RewardId", "A coupon reward names the reward whose coupon is given.");
            case ReferralRewardKind.Coupon or ReferralRewardKind.None when points != 0:
                throw new InvalidInputException($"{side}Points", $"Points are given only by a points reward ({kind} gives none).");
            case ReferralRewardKind.None when rewardId is not null:
                throw new InvalidInputException($"{side}RewardId", "No reward is given: name none.");
        }
    }

    /// <summary>The share link: the base URL with the code appended as is (codes are URL-safe); null without a base URL or a code.</summary>
    public static string? ReferralUrl(string? baseUrl, string? code) =>
        baseUrl is null || code is null ? null : baseUrl + code;

    /// <summary>
    /// Whether a purchase with <paramref name="amount"/> of which <paramref name="refunded"/> went back is the friend's
    /// qualifying purchase: referrals are enabled and what was kept is above zero and at least the minimum.
    /// </summary>
    public static bool Qualifies(ReferralSettings s, decimal amount, decimal refunded)
    {
        var kept = amount - refunded;
        return s.Enabled && kept > 0 && kept >= s.MinPurchaseAmount;
    }

    /// <summary>
    /// Two addresses of one inbox: compared trimmed and case-insensitively, without a <c>+tag</c> in the local part, and
    /// for Gmail without dots in it (alice+ref@x.com, A.lice@gmail.com and alice@googlemail.com are each one person).
    /// </summary>
    public static bool IsSelfReferral(string friendEmail, string referrerEmail) =>
        Mailbox(friendEmail) == Mailbox(referrerEmail);

    public static string Mailbox(string email)
    {
        var normalized = email.Trim().ToLowerInvariant();
        var at = normalized.LastIndexOf('@');
        if (at <= 0)
            return normalized;
        var (local, domain) = (normalized[..at], normalized[(at + 1)..]);
        if (local.IndexOf('+') is var plus and > 0)
            local = local[..plus];
        if (domain is "gmail.com" or "googlemail.com")
            (local, domain) = (local.Replace(".", ""), "gmail.com");
        return $"{local}@{domain}";
    }
}
