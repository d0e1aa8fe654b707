using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Rewards;

public sealed class RewardKindType : EnumerationGraphType
{
    public RewardKindType()
    {
        Name = "RewardKind";
        Description = "What a reward gives.";
        Add("FIXED_AMOUNT_COUPON", RewardKind.FixedAmountCoupon, "A coupon of a fixed amount off the cart, for a fixed number of points.");
        Add("PERCENTAGE_COUPON", RewardKind.PercentageCoupon, "A coupon of a percentage off, for a fixed number of points.");
        Add("FREE_SHIPPING", RewardKind.FreeShipping, "A free-shipping coupon, for a fixed number of points.");
        Add("POINTS_DISCOUNT", RewardKind.PointsDiscount, "Points converted into an amount off at a value per point; the member chooses how many, within bounds.");
    }
}

public sealed class RewardType : ObjectGraphType<Reward>
{
    public const string TypeName = "Reward";

    public RewardType()
    {
        Name = TypeName;
        Description = "A reward members can redeem points for.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the reward.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field(r => r.Name).Description("Name shown to members.");
        Field<NonNullGraphType<RewardKindType>>("kind").Description("What it gives.").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<LongGraphType>>("pointsCost").Description("Points it costs (0 for a points discount, priced per point).").Resolve(c => c.Source.PointsCost);
        Field<DecimalGraphType>("value").Description("Amount off (program currency) or percent; null for free shipping and points discounts.").Resolve(c => c.Source.Value);
        Field<DecimalGraphType>("valuePerPoint").Description("Points discount: currency value of one point.").Resolve(c => c.Source.ValuePerPoint);
        Field<LongGraphType>("minPoints").Description("Points discount: fewest points per redemption.").Resolve(c => c.Source.MinPoints);
        Field<LongGraphType>("maxPoints").Description("Points discount: most points per redemption; null for no maximum.").Resolve(c => c.Source.MaxPoints);
        Field(r => r.CodePrefix).Description("Coupon codes read PREFIX-XXXXXXXX.");
        Field<NonNullGraphType<IntGraphType>>("validityDays").Description("Days a coupon stays valid.").Resolve(c => c.Source.ValidityDays);
        Field<NonNullGraphType<BooleanGraphType>>("enabled").Description("Whether it can be redeemed now.").Resolve(c => c.Source.Enabled);
    }
}

public sealed class CouponStatusType : EnumerationGraphType
{
    public CouponStatusType()
    {
        Name = "CouponStatus";
        Description = "Where a coupon stands.";
        Add("ISSUED", CouponStatus.Issued, "Issued and not used yet.");
        Add("USED", CouponStatus.Used, "Used on an order.");
        Add("EXPIRED", CouponStatus.Expired, "Expired unused (its points are not restored by themselves).");
        Add("CANCELLED", CouponStatus.Cancelled, "Cancelled by staff.");
    }
}

public sealed class CouponType : ObjectGraphType<CouponView>
{
    public const string TypeName = "Coupon";

    public CouponType()
    {
        Name = TypeName;
        Description = "A coupon issued for points.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the coupon.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<IdGraphType>>("rewardId").Description("Global id of the reward it was issued for.").Resolve(c => GlobalId.Encode(RewardType.TypeName, c.Source.RewardId.ToString()));
        Field(x => x.Code).Description("The code to enter at checkout.");
        Field<NonNullGraphType<RewardKindType>>("kind").Description("What it gives.").Resolve(c => c.Source.Kind);
        Field<DecimalGraphType>("value").Description("Amount off (currency) or percent; null for free shipping.").Resolve(c => c.Source.Value);
        Field(x => x.Currency).Description("ISO 4217 currency of the amount.");
        Field<NonNullGraphType<LongGraphType>>("pointsSpent").Description("Points deducted for it.").Resolve(c => c.Source.PointsSpent);
        Field<NonNullGraphType<CouponStatusType>>("status").Description("Where it stands.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<DateTimeGraphType>>("issuedAt").Description("When it was issued (UTC).").Resolve(c => c.Source.IssuedAt.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("expiresAt").Description("When it expires (UTC).").Resolve(c => c.Source.ExpiresAt.UtcDateTime);
        Field<DateTimeGraphType>("usedAt").Description("When it was used (UTC); null while unused.").Resolve(c => c.Source.UsedAt?.UtcDateTime);
    }
}

public sealed class RewardArgs
{
    public string Name { get; set; } = "";
    public RewardKind Kind { get; set; }
    public long? PointsCost { get; set; }
    public decimal? Value { get; set; }
    public decimal? ValuePerPoint { get; set; }
    public long? MinPoints { get; set; }
    public long? MaxPoints { get; set; }
    public string? CodePrefix { get; set; }
    public int? ValidityDays { get; set; }
    public bool? Enabled { get; set; }

    // An explicit null means the same as leaving the field out: its default.
    public RewardDefinition ToDefinition() =>
        new(Name, Kind, PointsCost ?? 0, Value, ValuePerPoint, MinPoints, MaxPoints, CodePrefix ?? "POINTS", ValidityDays ?? 7, Enabled ?? true);
}

public sealed class RewardInputType : InputObjectGraphType<RewardArgs>
{
    public RewardInputType()
    {
        Name = "RewardInput";
        Description = "A reward definition (replaces every field on update).";
        Field<NonNullGraphType<StringGraphType>>("name").Description("Name shown to members (1-100 characters).");
        Field<NonNullGraphType<RewardKindType>>("kind").Description("What it gives.");
        Field<LongGraphType>("pointsCost").Description("Points it costs (fixed-price kinds; at least 1).").DefaultValue(0L);
        Field<DecimalGraphType>("value").Description("Amount off (at most 2 decimals) or percent (0-100]; leave out for free shipping and points discounts.");
        Field<DecimalGraphType>("valuePerPoint").Description("Points discount: value of one point, e.g. 0.05.");
        Field<LongGraphType>("minPoints").Description("Points discount: fewest points per redemption (at least 1).");
        Field<LongGraphType>("maxPoints").Description("Points discount: most points per redemption.");
        Field<StringGraphType>("codePrefix").Description("Coupon code prefix, 1-20 of A-Z and 0-9.").DefaultValue("POINTS");
        Field<IntGraphType>("validityDays").Description("Days a coupon stays valid, 1 to 90.").DefaultValue(7);
        Field<BooleanGraphType>("enabled").Description("Whether it can be redeemed.").DefaultValue(true);
    }
}

public sealed class RedeemCouponArgs
{
    public MemberLookupArgs? Member { get; set; }
    public string RewardId { get; set; } = "";
    public long? Points { get; set; }
    public string IdempotencyKey { get; set; } = "";
}

public sealed class RedeemCouponInputType : InputObjectGraphType<RedeemCouponArgs>
{
    public RedeemCouponInputType()
    {
        Name = "RedeemCouponInput";
        Description = "Spends a member's points on a reward. Staff name the member by id, email, member code or number; a storefront token redeems for its own member.";
        Field<MemberLookupInputType>("member").Description("The member (required for staff; a storefront may leave it out).");
        Field<NonNullGraphType<IdGraphType>>("rewardId").Description("Global id of the reward.");
        Field<LongGraphType>("points").Description("Points discount: how many points to spend (default its minimum). Fixed rewards: leave out.");
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Retry key (required): a retry returns the first coupon and spends nothing more.");
    }
}

public sealed record RedeemCouponResult(CouponView? Coupon, BalanceView? Balance, IReadOnlyList<UserError> UserErrors);

public sealed class RedeemCouponPayloadType : ObjectGraphType<RedeemCouponResult>
{
    public RedeemCouponPayloadType()
    {
        Name = "RedeemCouponPayload";
        Description = "Result of redeemCoupon.";
        Field<CouponType>("coupon").Description("The coupon issued; null when refused.").Resolve(c => c.Source.Coupon);
        Field<BalanceType>("balance").Description("The balance right after the deduction; null when refused.").Resolve(c => c.Source.Balance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record RewardResult(Reward? Reward, IReadOnlyList<UserError> UserErrors);

public sealed class RewardPayloadType : ObjectGraphType<RewardResult>
{
    public RewardPayloadType()
    {
        Name = "RewardPayload";
        Description = "Result of createReward and updateReward.";
        Field<RewardType>("reward").Description("The reward as saved; null when refused.").Resolve(c => c.Source.Reward);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}
