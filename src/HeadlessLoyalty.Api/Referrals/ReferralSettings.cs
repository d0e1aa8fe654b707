using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Referrals;

/// <summary>What a side of a referral receives: nothing, points, or a coupon of one of the program's rewards (no points spent).</summary>
public enum ReferralRewardKind { None, Points, Coupon }

/// <summary>
/// A program's referral rules. <see cref="BaseUrl"/> + a member's code is the member's share link (null without a
/// base URL). When <see cref="Enabled"/>, a referred friend's first purchase of at least
/// <see cref="MinPurchaseAmount"/> (after refunds) rewards the referrer and the friend once, when that purchase's
/// points are approved. Checked by <see cref="ReferralRules.Validate"/>; the defaults reward nothing.
/// </summary>
public sealed record ReferralSettings(
    bool Enabled = false,
    string? BaseUrl = null,
    ReferralRewardKind ReferrerRewardKind = ReferralRewardKind.None,
    long ReferrerPoints = 0,
    Guid? ReferrerRewardId = null,
    ReferralRewardKind FriendRewardKind = ReferralRewardKind.None,
    long FriendPoints = 0,
    Guid? FriendRewardId = null,
    decimal MinPurchaseAmount = 0m)
{
    public static ReferralSettings Default { get; } = new();
}

/// <summary>A program's stored <see cref="ReferralSettings"/>; a program without a row uses <see cref="ReferralSettings.Default"/>.</summary>
public sealed class ProgramReferralRules : ITenantOwned
{
    public Guid ProgramId { get; set; }
    public bool Enabled { get; set; }
    public string? BaseUrl { get; set; }
    public ReferralRewardKind ReferrerRewardKind { get; set; }
    public long ReferrerPoints { get; set; }
    public Guid? ReferrerRewardId { get; set; }
    public ReferralRewardKind FriendRewardKind { get; set; }
    public long FriendPoints { get; set; }
    public Guid? FriendRewardId { get; set; }
    public decimal MinPurchaseAmount { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public ReferralSettings ToSettings() => new(
        Enabled, BaseUrl, ReferrerRewardKind, ReferrerPoints, ReferrerRewardId, FriendRewardKind, FriendPoints, FriendRewardId, MinPurchaseAmount);

    public void CopyFrom(ReferralSettings s, DateTimeOffset at)
    {
        (Enabled, BaseUrl, ReferrerRewardKind, ReferrerPoints, ReferrerRewardId) = (s.Enabled, s.BaseUrl, s.ReferrerRewardKind, s.ReferrerPoints, s.ReferrerRewardId);
        (FriendRewardKind, FriendPoints, FriendRewardId, MinPurchaseAmount) = (s.FriendRewardKind, s.FriendPoints, s.FriendRewardId, s.MinPurchaseAmount);
        UpdatedAt = at;
    }
}
