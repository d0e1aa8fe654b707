using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Tiers;

public sealed class TierType : ObjectGraphType<Tier>
{
    public const string TypeName = "Tier";

    public TierType()
    {
        Name = TypeName;
        Description = "A tier of the program. Members reach it when the qualifying metric (`tierPolicy`) within a qualification period reaches its threshold.";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is Tier;
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the tier.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field(t => t.Name).Description("Display name, e.g. Gold.");
        Field(t => t.Rank).Description("Position by threshold: 0 for the lowest tier, increasing upward.");
        Field<NonNullGraphType<DecimalGraphType>>("threshold")
            .Description("Spend (program currency) or points earned within a qualification period that qualifies for the tier; the tier at 0 is the entry tier.")
            .Resolve(c => TierRules.Normalize(c.Source.Threshold));
        Field<NonNullGraphType<BooleanGraphType>>("entry").Description("True for the threshold-0 tier every member holds until they qualify for more.")
            .Resolve(c => c.Source.Threshold == 0);
        Field<NonNullGraphType<DecimalGraphType>>("earningMultiplier").Description("Multiplier of points earned on purchases while in the tier, on every channel without its own.")
            .Resolve(c => TierRules.Normalize(c.Source.EarningMultiplier));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TierChannelMultiplierType>>>>("channelMultipliers")
            .Description("Channels whose multiplier replaces earningMultiplier; empty when every channel uses it.")
            .Resolve(c => TierChannelMultiplier.Of(c.Source));
        Field(t => t.Description, nullable: true).Description("The tier's benefits, for display.");
    }
}

/// <summary>One channel's own multiplier.</summary>
public sealed record TierChannelMultiplier(PurchaseChannel Channel, decimal Multiplier)
{
    public static IReadOnlyList<TierChannelMultiplier> Of(Tier t) =>
        [.. new[] { (PurchaseChannel.Online, t.OnlineMultiplier), (PurchaseChannel.Pos, t.PosMultiplier) }
            .Where(x => x.Item2 is not null).Select(x => new TierChannelMultiplier(x.Item1, TierRules.Normalize(x.Item2!.Value)))];
}

public sealed class TierChannelMultiplierType : ObjectGraphType<TierChannelMultiplier>
{
    public TierChannelMultiplierType()
    {
        Name = "TierChannelMultiplier";
        Description = "A channel's own earning multiplier in a tier.";
        Field<NonNullGraphType<PurchaseChannelType>>("channel").Description("The purchase channel.").Resolve(c => c.Source.Channel);
        Field<NonNullGraphType<DecimalGraphType>>("multiplier").Description("Multiplier of points earned on that channel, 1 to 100.").Resolve(c => c.Source.Multiplier);
    }
}

public sealed class TierChannelMultiplierInputType : InputObjectGraphType<TierChannelMultiplierArgs>
{
    public TierChannelMultiplierInputType()
    {
        Name = "TierChannelMultiplierInput";
        Description = "A channel's own earning multiplier.";
        Field<NonNullGraphType<PurchaseChannelType>>("channel").Description("The purchase channel (at most once per tier).");
        Field<NonNullGraphType<DecimalGraphType>>("multiplier").Description("1 to 100, at most 4 decimals.");
    }
}

public sealed class TierChannelMultiplierArgs
{
    public PurchaseChannel Channel { get; set; }
    public decimal Multiplier { get; set; }
}

public sealed class TierMetricType : EnumerationGraphType
{
    public TierMetricType()
    {
        Name = "TierMetric";
        Description = "What qualifies for a tier.";
        Add("SPEND", TierMetric.Spend, "Purchase amounts in the program's currency, every channel, refunds deducted.");
        Add("POINTS_EARNED", TierMetric.PointsEarned, "Points earned and approved (purchases, bonuses, activities, positive adjustments), refund reversals deducted.");
    }
}

public sealed class TierQualificationPeriodType : EnumerationGraphType
{
    public TierQualificationPeriodType()
    {
        Name = "TierQualificationPeriod";
        Description = "The window the metric is counted over. A tier reached in a period is held until its end.";
        Add("CALENDAR_YEAR", TierPeriod.CalendarYear, "1 January to 31 December in the program's time zone.");
        Add("ROLLING_12_MONTHS", TierPeriod.Rolling12Months, "The last 12 months; a tier is held for 12 months from when it was reached or renewed.");
        Add("MEMBERSHIP_ANNIVERSARY", TierPeriod.MembershipAnniversary, "From one anniversary of the member's enrolment to the next (29 February: 28 February in common years).");
    }
}

public sealed class TierPeriodEndPolicyType : EnumerationGraphType
{
    public TierPeriodEndPolicyType()
    {
        Name = "TierPeriodEndPolicy";
        Description = "What happens at the end of a period to a member whose metric did not reach their tier's threshold (one who did keeps the tier for the next period).";
        Add("RETAIN", TierPeriodEnd.Retain, "Keep the tier: tiers never drop.");
        Add("DOWNGRADE_ONE_STEP", TierPeriodEnd.DowngradeOneStep, "Drop to the next lower tier (tier.downgraded).");
        Add("RECOMPUTE", TierPeriodEnd.Recompute, "Drop to the tier the period's metric reaches (tier.downgraded).");
        Add("RESET", TierPeriodEnd.Reset, "Drop to the entry tier (tier.reset).");
    }
}

public sealed class TierPolicyType : ObjectGraphType<TierPolicy>
{
    public TierPolicyType()
    {
        Name = "TierPolicy";
        Description = "How the program's members qualify for tiers and what happens at a period's end.";
        Field<NonNullGraphType<TierMetricType>>("metric").Description("What qualifies.").Resolve(c => c.Source.Metric);
        Field<NonNullGraphType<TierQualificationPeriodType>>("qualificationPeriod").Description("The window the metric is counted over.").Resolve(c => c.Source.Period);
        Field<NonNullGraphType<TierPeriodEndPolicyType>>("periodEnd").Description("What happens to members who did not requalify.").Resolve(c => c.Source.PeriodEnd);
    }
}

public sealed class TierPolicyArgs
{
    public TierMetric? Metric { get; set; }
    public TierPeriod? QualificationPeriod { get; set; }
    public TierPeriodEnd? PeriodEnd { get; set; }

    public TierPolicy ApplyTo(TierPolicy p) => new(Metric ?? p.Metric, QualificationPeriod ?? p.Period, PeriodEnd ?? p.PeriodEnd);
}

public sealed class TierPolicyInputType : InputObjectGraphType<TierPolicyArgs>
{
    public TierPolicyInputType()
    {
        Name = "TierPolicyInput";
        Description = "Changes to the tier policy; a field left out keeps its value. Members keep their tier until its period ends.";
        Field<TierMetricType>("metric").Description("What qualifies.");
        Field<TierQualificationPeriodType>("qualificationPeriod").Description("The window the metric is counted over.");
        Field<TierPeriodEndPolicyType>("periodEnd").Description("What happens to members who did not requalify.");
    }
}

public sealed record UpdateTierPolicyResult(TierPolicy? TierPolicy, IReadOnlyList<UserError> UserErrors);

public sealed class UpdateTierPolicyPayloadType : ObjectGraphType<UpdateTierPolicyResult>
{
    public UpdateTierPolicyPayloadType()
    {
        Name = "UpdateTierPolicyPayload";
        Description = "Result of updateTierPolicy.";
        Field<TierPolicyType>("tierPolicy").Description("The policy now in force; null when refused.").Resolve(c => c.Source.TierPolicy);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed class TierArgs
{
    public string? TierId { get; set; }
    public string? Name { get; set; }
    public decimal? Threshold { get; set; }
    public decimal? EarningMultiplier { get; set; }
    public List<TierChannelMultiplierArgs>? ChannelMultipliers { get; set; }
    public string? Description { get; set; }

    /// <summary>The definition these arguments give over <paramref name="current"/> (null: a new tier); a field left out keeps its value.</summary>
    public TierDefinition ToDefinition(Tier? current)
    {
        var channels = ChannelMultipliers;
        if (channels is not null && channels.GroupBy(c => c.Channel).Any(g => g.Count() > 1))
            throw new InvalidInputException("channelMultipliers", "Each channel at most once.");
        decimal? For(PurchaseChannel channel, decimal? kept) =>
            channels is null ? kept : channels.FirstOrDefault(c => c.Channel == channel)?.Multiplier;
        return new TierDefinition(
            Name ?? current?.Name ?? "",
            Threshold ?? current?.Threshold ?? 0,
            EarningMultiplier ?? current?.EarningMultiplier ?? 1m,
            For(PurchaseChannel.Online, current?.OnlineMultiplier),
            For(PurchaseChannel.Pos, current?.PosMultiplier),
            Description ?? current?.Description);
    }
}

public sealed class CreateTierInputType : InputObjectGraphType<TierArgs>
{
    public CreateTierInputType()
    {
        Name = "CreateTierInput";
        Description = "A new tier; its rank follows from its threshold.";
        Field<NonNullGraphType<StringGraphType>>("name").Description("Display name, 1-100 characters, unique in the program.");
        Field<NonNullGraphType<DecimalGraphType>>("threshold").Description("Metric within a qualification period that qualifies (0 to 10^12, at most 4 decimals, unique); 0 makes it the entry tier.");
        Field<DecimalGraphType>("earningMultiplier").Description("Multiplier of points earned on purchases, 1 to 100 (default 1).");
        Field<ListGraphType<NonNullGraphType<TierChannelMultiplierInputType>>>("channelMultipliers").Description("Channels with their own multiplier.");
        Field<StringGraphType>("description").Description("The tier's benefits, at most 1,000 characters.");
    }
}

public sealed class UpdateTierInputType : InputObjectGraphType<TierArgs>
{
    public UpdateTierInputType()
    {
        Name = "UpdateTierInput";
        Description = "Changes to a tier; a field left out keeps its value. Members holding it keep it.";
        Field<NonNullGraphType<IdGraphType>>("tierId").Description("Global id of the tier.");
        Field<StringGraphType>("name").Description("Display name, 1-100 characters, unique in the program.");
        Field<DecimalGraphType>("threshold").Description("Metric within a qualification period that qualifies (unique); ranks are renumbered.");
        Field<DecimalGraphType>("earningMultiplier").Description("Multiplier of points earned on purchases, 1 to 100.");
        Field<ListGraphType<NonNullGraphType<TierChannelMultiplierInputType>>>("channelMultipliers").Description("Replaces the channels' own multipliers (an empty list removes them).");
        Field<StringGraphType>("description").Description("The tier's benefits, at most 1,000 characters (an empty string removes it).");
    }
}

public sealed class DeleteTierArgs
{
    public string TierId { get; set; } = "";
}

public sealed class DeleteTierInputType : InputObjectGraphType<DeleteTierArgs>
{
    public DeleteTierInputType()
    {
        Name = "DeleteTierInput";
        Description = "The tier to delete.";
        Field<NonNullGraphType<IdGraphType>>("tierId").Description("Global id of a tier nobody holds (TIER_IN_USE otherwise).");
    }
}

public sealed record TierResult(Tier? Tier, IReadOnlyList<UserError> UserErrors);

public sealed class TierPayloadType : ObjectGraphType<TierResult>
{
    public TierPayloadType()
    {
        Name = "TierPayload";
        Description = "Result of createTier and updateTier.";
        Field<TierType>("tier").Description("The tier as saved; null when refused.").Resolve(c => c.Source.Tier);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record DeleteTierResult(Guid? DeletedTierId, IReadOnlyList<UserError> UserErrors);

public sealed class DeleteTierPayloadType : ObjectGraphType<DeleteTierResult>
{
    public DeleteTierPayloadType()
    {
        Name = "DeleteTierPayload";
        Description = "Result of deleteTier.";
        Field<IdGraphType>("deletedTierId").Description("Global id of the deleted tier; null when refused.")
            .Resolve(c => c.Source.DeletedTierId is { } id ? GlobalId.Encode(TierType.TypeName, id.ToString()) : null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed class MemberTierType : ObjectGraphType<TierStatus>
{
    public MemberTierType()
    {
        Name = "MemberTier";
        Description = "A member's tier status: the tier held, its period, and progress in the qualifying metric (`metric`: spend or points earned).";
        Field<TierType>("current").Description("The tier held; null when the member holds none (the program has no entry tier, or no tiers).").Resolve(c => c.Source.Current);
        Field<DateTimeGraphType>("achievedAt").Description("When the member reached the tier held (enrolment for the entry tier); null without a tier.")
            .Resolve(c => c.Source.AchievedAt?.UtcDateTime);
        Field<DateTimeGraphType>("expiresAt").Description("When the tier's period ends and the period-end policy applies; null when it cannot lapse (the entry tier, or the RETAIN policy).")
            .Resolve(c => c.Source.ExpiresAt?.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("periodStart").Description("Start of the period progress is projected over.").Resolve(c => c.Source.PeriodStart.UtcDateTime);
        Field<DateTimeGraphType>("periodEnd").Description("End of that period; null on a rolling period without a tier that lapses.").Resolve(c => c.Source.PeriodEnd?.UtcDateTime);
        Field<NonNullGraphType<TierMetricType>>("metric").Description("The unit of the progress fields.").Resolve(c => c.Source.Metric);
        Field<NonNullGraphType<DecimalGraphType>>("progress").Description("The metric so far in the current qualification period (the last 12 months on a rolling period).")
            .Resolve(c => TierRules.Normalize(c.Source.Progress));
        Field<DecimalGraphType>("projectedProgressAtExpiration").Description("Where the period's metric lands at its end at the current pace; null without a period end.")
            .Resolve(c => c.Source.ProjectedProgressAtExpiration is { } p ? TierRules.Normalize(p) : null);
        Field<DecimalGraphType>("progressNeededToRenew").Description("Metric still needed before expiresAt to keep the tier (0: renewed); null when it cannot lapse.")
            .Resolve(c => c.Source.ProgressNeededToRenew is { } p ? TierRules.Normalize(p) : null);
        Field<DecimalGraphType>("progressNeededToUpgrade").Description("Metric still needed in this period for the next tier; null at the top.")
            .Resolve(c => c.Source.ProgressNeededToUpgrade is { } p ? TierRules.Normalize(p) : null);
        Field<TierType>("nextTier").Description("The next tier up; null at the top.").Resolve(c => c.Source.NextTier);
        Field<TierType>("forecastedTierAtExpiration").Description("The tier the member would hold after the period's end at the current pace; null without a period end.")
            .Resolve(c => c.Source.ForecastedTierAtExpiration);
    }
}
