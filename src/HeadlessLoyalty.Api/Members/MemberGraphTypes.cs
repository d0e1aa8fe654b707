using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Referrals;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Segments;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Tiers;
using HeadlessLoyalty.GraphQL.Connections;
using HeadlessLoyalty.GraphQL.DataLoading;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Members;

public sealed class MemberType : ObjectGraphType<MemberView>
{
    public const string TypeName = "Member";

    public MemberType()
    {
        Name = TypeName;
        Description = "A member of the caller's loyalty program: profile, points balance, tier and points history.";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is MemberView;

        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the member (use it in `node(id:)` and member inputs).")
            .Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field(m => m.Email).Description("Email address as entered; unique in the program, compared case-insensitively.");
        Field(m => m.FirstName, nullable: true).Description("First name.");
        Field(m => m.LastName, nullable: true).Description("Last name.");
        Field(m => m.Phone, nullable: true).Description("Phone number as entered.");
        Field<BirthdayType>("birthday").Description("Birthday (day and month; the year only when the member gave it).")
            .Resolve(c => c.Source is { BirthdayMonth: { } month, BirthdayDay: { } day } ? new Birthday(month, day, c.Source.BirthdayYear) : null);
        Field(m => m.MemberCode).Description("Short code printed on cards and typed at the till; unique in the program.");
        Field<NonNullGraphType<LongGraphType>>("memberNumber").Description("Sequential number in the program, starting at 1.")
            .Resolve(c => c.Source.MemberNumber);
        Field<NonNullGraphType<DateTimeGraphType>>("enrolledAt").Description("When the member joined (UTC).")
            .Resolve(c => c.Source.EnrolledAt.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("updatedAt").Description("When the profile or status last changed (UTC).")
            .Resolve(c => c.Source.UpdatedAt.UtcDateTime);
        Field<NonNullGraphType<MemberStatusType>>("status").Description("Membership status.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<BooleanGraphType>>("blocked").Description("True when the member may neither earn nor spend points.")
            .Resolve(c => c.Source.Status == MemberStatus.Blocked);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExternalIdType>>>>("externalIds")
            .Description("The member's ids in connected stores.")
            .Resolve(c => c.CollectionBatchLoader<Guid, MemberExternalId>("Member.externalIds", async (ids, ct) =>
                    (await c.Db().MemberExternalIds.AsNoTracking().Where(x => ids.Contains(x.MemberId)).OrderBy(x => x.Store).ToListAsync(ct))
                    .ToLookup(x => x.MemberId))
                .LoadAsync(c.Source.Id));
        Field<NonNullGraphType<BalanceType>>("balance").Description("Points balance. Loaded in one batch for every member of a list.")
            .Resolve(c => PointsFields.ResolveBalance(c, c.Source.Id));
        Field<NonNullGraphType<MemberTierType>>("tier").Description("Tier status: the tier held, when it expires, progress, projections and forecasts. Batched for lists.")
            .Resolve(c => TierFields.LoadStatus(c, c.Source.Id, c.Source.EnrolledAt));
        Field<NonNullGraphType<ConnectionGraphType<LedgerEntryType, LedgerEntryView>>>("history")
            .Description("Points ledger entries, newest first. `first` defaults to 20, at most 100.")
            .Argument<IntGraphType>("first", "Entries after `after`, at most 100.")
            .Argument<StringGraphType>("after", "Cursor of the entry to start after.")
            .Argument<IntGraphType>("last", "Entries before `before`, at most 100.")
            .Argument<StringGraphType>("before", "Cursor of the entry to end before.")
            .Argument<HistoryFilterInputType>("filter", "Restricts the entries by kind and date.")
            .ResolveAsync(async c => await PointsFields.HistoryAsync(c, c.Source.Id));
        Field<NonNullGraphType<ConnectionGraphType<PurchaseType, PurchaseView>>>("purchases")
            .Description("Purchases from every channel and store, newest first. `first` defaults to 20, at most 100.")
            .Argument<IntGraphType>("first", "Purchases after `after`, at most 100.")
            .Argument<StringGraphType>("after", "Cursor of the purchase to start after.")
            .Argument<IntGraphType>("last", "Purchases before `before`, at most 100.")
            .Argument<StringGraphType>("before", "Cursor of the purchase to end before.")
            .ResolveAsync(async c => await PurchaseFields.OfMemberAsync(c, c.Source.Id));
        Field<NonNullGraphType<IntGraphType>>("rewardsClaimed").Description("Coupons issued for the member's points. Batched across a list.")
            .Resolve(c => RewardFields.LoadCounts(c, c.Source.Id).Then(counts => counts.Claimed));
        Field<NonNullGraphType<IntGraphType>>("rewardsUsed").Description("Of those, coupons used on an order. Batched across a list.")
            .Resolve(c => RewardFields.LoadCounts(c, c.Source.Id).Then(counts => counts.Used));
        Field<SegmentType>("segment").Description("Insights segment (Loyal, At Risk, Win Back) from purchase recency and frequency; null without purchases or below the loyal count. Batched across a list.")
            .Resolve(c => SegmentFields.LoadSegment(c, c.Source.Id));
        Field<DateTimeGraphType>("segmentSince").Description("When the member entered `segment`, as the `segments` job (daily by default) recorded it (UTC, the time of that run); null without a segment, before the job's first run, or after a move the job has not run since. Batched across a list.")
            .Resolve(c => SegmentFields.LoadSegmentSince(c, c.Source.Id).Then(since => since?.UtcDateTime));
        Field<ExpiringPointsType>("nextExpiring").Description("The nearest approved points that will lapse, and when; null when none will (see `expiryPolicy`). Batched across a list.")
            .Resolve(c => ExpiryFields.LoadOutlook(c, c.Source.Id).Then(o => o.Next));
        Field<NonNullGraphType<LongGraphType>>("expiringPoints").Description("Approved points that lapse within the next `withinDays` days. Batched across a list.")
            .Argument<NonNullGraphType<IntGraphType>>("withinDays", "Days ahead, 0 to 3,650.")
            .Resolve(c => ExpiryFields.LoadExpiringWithin(c, c.Source.Id, c.GetArgument<int>("withinDays")));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RewardType>>>>("eligibleRewards")
            .Description("Enabled rewards the member's approved points afford now, cheapest first (none while blocked).")
            .ResolveAsync(async c => await RewardOperations.EligibleAsync(c.Db(), c.Source.Id, c.CancellationToken));
        Field<NonNullGraphType<ConnectionGraphType<CouponType, CouponView>>>("coupons")
            .Description("Coupons issued for the member's points, newest first. `first` defaults to 20, at most 100.")
            .Argument<IntGraphType>("first", "Coupons after `after`, at most 100.")
            .Argument<StringGraphType>("after", "Cursor of the coupon to start after.")
            .Argument<IntGraphType>("last", "Coupons before `before`, at most 100.")
            .Argument<StringGraphType>("before", "Cursor of the coupon to end before.")
            .ResolveAsync(async c => await RewardFields.CouponsAsync(c, c.Source.Id));
        Field<NonNullGraphType<ConnectionGraphType<ActivityAwardType, ActivityAwardView>>>("activities")
            .Description("Points earned for activities (reviews, shares, sign-up, birthday, custom), newest first. `first` defaults to 20, at most 100.")
            .Argument<IntGraphType>("first", "Awards after `after`, at most 100.")
            .Argument<StringGraphType>("after", "Cursor of the award to start after.")
            .Argument<IntGraphType>("last", "Awards before `before`, at most 100.")
            .Argument<StringGraphType>("before", "Cursor of the award to end before.")
            .ResolveAsync(async c => await ActivityFields.OfMemberAsync(c, c.Source.Id));
        ReferralFields.AddMemberFields(this);
    }
}

/// <summary>A birthday as exposed: the year only when the member gave it.</summary>
public sealed record Birthday(int Month, int Day, int? Year);

public sealed class BirthdayType : ObjectGraphType<Birthday>
{
    public BirthdayType()
    {
        Name = "Birthday";
        Description = "A birthday; 29 February is allowed (celebrated on 28 February in non-leap years by the birthday rules).";
        Field(b => b.Month).Description("Month, 1-12.");
        Field(b => b.Day).Description("Day of the month.");
        Field(b => b.Year, nullable: true).Description("Year of birth, when given.");
    }
}

public sealed class ExternalIdType : ObjectGraphType<MemberExternalId>
{
    public ExternalIdType()
    {
        Name = "ExternalId";
        Description = "The member's id in a connected store.";
        Field(x => x.Store).Description("The store (connection) the id belongs to.");
        Field(x => x.ExternalId).Description("The id in that store, e.g. a Shopify customer id.");
    }
}

public sealed class MemberStatusType : EnumerationGraphType
{
    public MemberStatusType()
    {
        Name = "MemberStatus";
        Description = "Membership status.";
        Add("ACTIVE", MemberStatus.Active, "Earns and spends points.");
        Add("BLOCKED", MemberStatus.Blocked, "Blocked by the merchant: keeps the points but cannot earn or spend (MEMBER_BLOCKED).");
        Add("OPTED_OUT", MemberStatus.OptedOut, "Left the program.");
    }
}

public sealed class MemberOrderType : EnumerationGraphType
{
    public MemberOrderType()
    {
        Name = "MemberOrder";
        Description = "Order of a member list.";
        Add("MEMBER_NUMBER_ASC", MemberOrder.NumberAscending, "Member number, lowest first.");
        Add("MEMBER_NUMBER_DESC", MemberOrder.NumberDescending, "Member number, highest first.");
        Add("ENROLLED_AT_ASC", MemberOrder.EnrolledOldestFirst, "Enrollment time, oldest first.");
        Add("ENROLLED_AT_DESC", MemberOrder.EnrolledNewestFirst, "Enrollment time, newest first.");
        Add("EMAIL_ASC", MemberOrder.EmailAscending, "Email (case-insensitive), A to Z.");
        Add("EMAIL_DESC", MemberOrder.EmailDescending, "Email (case-insensitive), Z to A.");
    }
}

/// <summary>GraphQL input shapes (bound by name from the arguments).</summary>
public sealed class MemberLookupArgs
{
    public string? Id { get; set; }
    public string? Email { get; set; }
    public string? Code { get; set; }
    public long? Number { get; set; }

    /// <summary>Refuses a lookup that names no member or several ways at once (INVALID_INPUT on <paramref name="field"/>).</summary>
    public void RequireExactlyOne(string field)
    {
        if ((Id is null ? 0 : 1) + (Email is null ? 0 : 1) + (Code is null ? 0 : 1) + (Number is null ? 0 : 1) != 1)
            throw new InvalidInputException(field, "Give exactly one of id, email, code or number.");
    }
}

public sealed class MemberLookupInputType : InputObjectGraphType<MemberLookupArgs>
{
    public MemberLookupInputType()
    {
        Name = "MemberLookupInput";
        Description = "Finds one member: give exactly one of the fields.";
        Field<IdGraphType>("id").Description("Global id of the member.");
        Field<StringGraphType>("email").Description("Email, compared case-insensitively.");
        Field<StringGraphType>("code").Description("Member code; spaces and dashes are ignored, letters case-insensitive.");
        Field<LongGraphType>("number").Description("Member number.");
    }
}

public sealed class MemberFilterArgs
{
    public MemberStatus? Status { get; set; }
    public string? EmailContains { get; set; }
    public string? TierId { get; set; }
}

public sealed class MemberFilterInputType : InputObjectGraphType<MemberFilterArgs>
{
    public MemberFilterInputType()
    {
        Name = "MemberFilterInput";
        Description = "Restricts a member list; every field optional, all given fields must match.";
        Field<MemberStatusType>("status").Description("Only members with this status.");
        Field<StringGraphType>("emailContains").Description("Only members whose email contains this text (case-insensitive).");
        Field<IdGraphType>("tierId").Description("Only members currently in this tier (global id of a Tier).");
    }
}
