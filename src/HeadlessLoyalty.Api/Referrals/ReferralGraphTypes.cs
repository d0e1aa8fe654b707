using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Referrals;

public sealed class ReferralRewardKindType : EnumerationGraphType
{
    public ReferralRewardKindType()
    {
        Name = "ReferralRewardKind";
        Description = "What one side of a referral receives.";
        Add("NONE", ReferralRewardKind.None, "Nothing.");
        Add("POINTS", ReferralRewardKind.Points, "Approved points.");
        Add("COUPON", ReferralRewardKind.Coupon, "A coupon of one of the program's rewards, without spending points.");
    }
}

public sealed class ReferralStatusType : EnumerationGraphType
{
    public ReferralStatusType()
    {
        Name = "ReferralStatus";
        Description = "What became of a referral.";
        Add("PENDING", ReferralStatus.Pending, "Referred; no qualifying purchase approved yet.");
        Add("REWARDED", ReferralStatus.Rewarded, "The friend's first qualifying purchase rewarded the referral.");
        Add("REFUSED", ReferralStatus.Refused, "Found to be a self-referral (same mailbox) when the purchase qualified: nobody was rewarded.");
    }
}

public sealed class ReferralSettingsType : ObjectGraphType<ReferralSettings>
{
    public ReferralSettingsType()
    {
        Name = "ReferralSettings";
        Description = "The program's referral rules. The rewards are given when the friend's first qualifying purchase has its points approved (after the return window), so a purchase refunded within the window rewards nobody.";
        Field<NonNullGraphType<BooleanGraphType>>("enabled").Description("Whether a friend's first purchase rewards anybody (codes and links exist either way).").Resolve(c => c.Source.Enabled);
        Field<StringGraphType>("baseUrl").Description("Share links are this URL followed by the member's code; null: members have no link.").Resolve(c => c.Source.BaseUrl);
        Field<NonNullGraphType<ReferralRewardKindType>>("referrerRewardKind").Description("What the referrer receives.").Resolve(c => c.Source.ReferrerRewardKind);
        Field<NonNullGraphType<LongGraphType>>("referrerPoints").Description("Points the referrer receives (POINTS), else 0.").Resolve(c => c.Source.ReferrerPoints);
        Field<IdGraphType>("referrerRewardId").Description("Global id of the reward whose coupon the referrer receives (COUPON).")
            .Resolve(c => c.Source.ReferrerRewardId is { } id ? GlobalId.Encode(RewardType.TypeName, id.ToString()) : null);
        Field<NonNullGraphType<ReferralRewardKindType>>("friendRewardKind").Description("What the referred friend receives.").Resolve(c => c.Source.FriendRewardKind);
        Field<NonNullGraphType<LongGraphType>>("friendPoints").Description("Points the friend receives (POINTS), else 0.").Resolve(c => c.Source.FriendPoints);
        Field<IdGraphType>("friendRewardId").Description("Global id of the reward whose coupon the friend receives (COUPON).")
            .Resolve(c => c.Source.FriendRewardId is { } id ? GlobalId.Encode(RewardType.TypeName, id.ToString()) : null);
        Field<NonNullGraphType<DecimalGraphType>>("minPurchaseAmount").Description("The least a purchase must keep after refunds (program currency) to qualify; a purchase of nothing never does.")
            .Resolve(c => c.Source.MinPurchaseAmount);
    }
}

public sealed class ReferralSettingsArgs
{
    public bool? Enabled { get; set; }
    public string? BaseUrl { get; set; }
    public ReferralRewardKind? ReferrerRewardKind { get; set; }
    public long? ReferrerPoints { get; set; }
    public string? ReferrerRewardId { get; set; }
    public ReferralRewardKind? FriendRewardKind { get; set; }
    public long? FriendPoints { get; set; }
    public string? FriendRewardId { get; set; }
    public decimal? MinPurchaseAmount { get; set; }

    /// <summary>
    /// The settings after the change: a field left out keeps its value, an empty base URL clears it. Points and the
    /// reward follow the kind: switching a side to another kind drops what the old kind used.
    /// </summary>
    public ReferralSettings ApplyTo(ReferralSettings s)
    {
        var referrerKind = ReferrerRewardKind ?? s.ReferrerRewardKind;
        var friendKind = FriendRewardKind ?? s.FriendRewardKind;
        return new ReferralSettings(
            Enabled ?? s.Enabled,
            BaseUrl is null ? s.BaseUrl : BaseUrl,
            referrerKind,
            ReferrerPoints ?? (referrerKind == ReferralRewardKind.Points && referrerKind == s.ReferrerRewardKind ? s.ReferrerPoints : 0),
            RewardId(ReferrerRewardId, "referrerRewardId") ?? (referrerKind == ReferralRewardKind.Coupon && referrerKind == s.ReferrerRewardKind ? s.ReferrerRewardId : null),
            friendKind,
            FriendPoints ?? (friendKind == ReferralRewardKind.Points && friendKind == s.FriendRewardKind ? s.FriendPoints : 0),
            RewardId(FriendRewardId, "friendRewardId") ?? (friendKind == ReferralRewardKind.Coupon && friendKind == s.FriendRewardKind ? s.FriendRewardId : null),
            MinPurchaseAmount ?? s.MinPurchaseAmount);
    }

    private static Guid? RewardId(string? globalId, string field) =>
        globalId is null ? null : ResolveContextExtensions.ParseGlobalId(globalId, RewardType.TypeName, field);
}

public sealed class ReferralSettingsInputType : InputObjectGraphType<ReferralSettingsArgs>
{
    public ReferralSettingsInputType()
    {
        Name = "ReferralSettingsInput";
        Description = "Changes to the referral settings; a field left out keeps its value. Changing a side's kind drops the points or reward of the old kind.";
        Field<BooleanGraphType>("enabled").Description("Whether a friend's first purchase rewards anybody.");
        Field<StringGraphType>("baseUrl").Description("Absolute http(s) URL the code is appended to, at most 500 characters (e.g. https://shop.example/?ref=); empty clears it.");
        Field<ReferralRewardKindType>("referrerRewardKind").Description("What the referrer receives.");
        Field<LongGraphType>("referrerPoints").Description("Points for the referrer: 1 to 1,000,000,000 with POINTS, else 0.");
        Field<IdGraphType>("referrerRewardId").Description("With COUPON: global id of the reward whose coupon the referrer receives (REWARD_NOT_FOUND).");
        Field<ReferralRewardKindType>("friendRewardKind").Description("What the referred friend receives.");
        Field<LongGraphType>("friendPoints").Description("Points for the friend: 1 to 1,000,000,000 with POINTS, else 0.");
        Field<IdGraphType>("friendRewardId").Description("With COUPON: global id of the reward whose coupon the friend receives (REWARD_NOT_FOUND).");
        Field<DecimalGraphType>("minPurchaseAmount").Description("Least amount kept after refunds for a purchase to qualify: 0 or more, at most 4 decimals.");
    }
}

public sealed record UpdateReferralSettingsResult(ReferralSettings? ReferralSettings, IReadOnlyList<UserError> UserErrors);

public sealed class UpdateReferralSettingsPayloadType : ObjectGraphType<UpdateReferralSettingsResult>
{
    public UpdateReferralSettingsPayloadType()
    {
        Name = "UpdateReferralSettingsPayload";
        Description = "Result of updateReferralSettings.";
        Field<ReferralSettingsType>("referralSettings").Description("The settings now in force; null when refused.").Resolve(c => c.Source.ReferralSettings);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}
