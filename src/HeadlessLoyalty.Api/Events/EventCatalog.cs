using System.Reflection;

namespace HeadlessLoyalty.Api.Events;

/// <summary>One entry of the catalog: the event type's name, its GraphQL object type name, its payload record and what it means.</summary>
public sealed record EventCatalogEntry(string Type, string GraphTypeName, Type PayloadType, string Description);

/// <summary>
/// Every <see cref="EventTypes"/> name with its typed payload (<c>EventPayloads.cs</c>): the GraphQL object types,
/// webhook bodies and the ESP sync all read payloads through it. A test checks that it covers <see cref="EventTypes.All"/>.
/// </summary>
public static class EventCatalog
{
    private static readonly (string Type, Type Payload, string Description)[] Entries =
    [
        (EventTypes.MemberEnrolled, typeof(MemberEventPayload), "A member joined the program."),
        (EventTypes.MemberUpdated, typeof(MemberEventPayload), "A member's profile changed (the payload is the profile after the change)."),
        (EventTypes.MemberBlocked, typeof(MemberEventPayload), "A member was blocked: they can no longer earn or spend points."),
        (EventTypes.PointsEarned, typeof(PointsEarnedPayload), "Earned or bonus points became spendable."),
        (EventTypes.EligibleForReward, typeof(EligibleForRewardPayload), "The spendable balance just reached the cheapest enabled reward's cost (once per crossing)."),
        (EventTypes.PointsRedeemed, typeof(PointsRedeemedPayload), "Points were spent on a reward."),
        (EventTypes.PointsRedeemedAtPos, typeof(PointsRedeemedAtPosPayload), "Points were spent at a point of sale (redeemAtPos): the store, till location and POS transaction they paid for."),
        (EventTypes.PointsExpireIn30Days, typeof(PointsExpiringPayload), "Some points lapse in 30 days."),
        (EventTypes.PointsExpireIn7Days, typeof(PointsExpiringPayload), "Some points lapse in 7 days."),
        (EventTypes.PointsExpireIn3Days, typeof(PointsExpiringPayload), "Some points lapse in 3 days."),
        (EventTypes.PointsExpired, typeof(PointsExpiredPayload), "Points lapsed (by their date or the member's inactivity)."),
        (EventTypes.PointsAdjusted, typeof(PointsAdjustedPayload), "The spendable balance changed for another reason than earning, spending, expiry or a refund: an admin's adjustment (either sign) or the points of a checkout discount that ended unused coming back."),
        (EventTypes.OrderAwarded, typeof(OrderAwardedPayload), "A purchase was recorded, with the points it earned (pending until its return window has passed)."),
        (EventTypes.OrderReversed, typeof(OrderReversedPayload), "A purchase was refunded, fully or in part, and its points taken back."),
        (EventTypes.TierAchieved, typeof(TierChangedPayload), "A member reached a higher tier."),
        (EventTypes.TierDowngraded, typeof(TierChangedPayload), "A member's tier went down at the end of a period."),
        (EventTypes.TierReset, typeof(TierChangedPayload), "A member's tier was reset at the end of a period."),
        (EventTypes.TierResetIn4Weeks, typeof(TierResetWarningPayload), "A member's tier drops in 4 weeks unless they qualify again."),
        (EventTypes.TierResetIn2Weeks, typeof(TierResetWarningPayload), "A member's tier drops in 2 weeks unless they qualify again."),
        (EventTypes.TierResetIn1Day, typeof(TierResetWarningPayload), "A member's tier drops tomorrow unless they qualify again."),
        (EventTypes.BirthdayIn7Days, typeof(BirthdayPayload), "A member's birthday is in 7 days."),
        (EventTypes.BirthdayToday, typeof(BirthdayPayload), "It is a member's birthday (with the birthday reward's points, if any)."),
        (EventTypes.ReferrerRewardedWithCoupon, typeof(ReferrerRewardedWithCouponPayload), "A referrer received a coupon for a friend's first purchase."),
        (EventTypes.ReferrerRewardedWithPoints, typeof(ReferrerRewardedWithPointsPayload), "A referrer received points for a friend's first purchase."),
        (EventTypes.ReferredFriendFirstPurchase, typeof(ReferralFriendPurchasePayload), "A referred friend's first qualifying purchase passed its return window (addressed to the referrer)."),
        (EventTypes.RewardIssued, typeof(RewardIssuedPayload), "A reward's coupon was issued for points."),
        (EventTypes.CouponUsed, typeof(CouponUsedPayload), "A coupon issued for points was used on an order."),
        (EventTypes.WebhookDisabled, typeof(WebhookDisabledPayload), "A webhook subscription failed too often in a row and was disabled (an operations event: no member)."),
    ];

    /// <summary>In catalog order (that of <see cref="EventTypes.All"/>).</summary>
    public static IReadOnlyList<EventCatalogEntry> All { get; } = Build();

    private static readonly Dictionary<string, EventCatalogEntry> ByType = All.ToDictionary(e => e.Type);

    public static EventCatalogEntry? Find(string type) => ByType.GetValueOrDefault(type);

    private static EventCatalogEntry[] Build()
    {
        // The GraphQL name is the constant's name in EventTypes: PointsEarned -> PointsEarnedEvent.
        var constants = typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => (string)f.GetRawConstantValue()!, f => f.Name);
        return Entries.Select(e => new EventCatalogEntry(e.Type, constants[e.Type] + "Event", e.Payload, e.Description)).ToArray();
    }
}
