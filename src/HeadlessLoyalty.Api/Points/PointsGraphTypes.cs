using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Points;

public sealed class BalanceType : ObjectGraphType<BalanceView>
{
    public BalanceType()
    {
        Name = "Balance";
        Description = "A member's points, kept in step with the ledger in the same transaction as every entry.";
        Field<NonNullGraphType<LongGraphType>>("approved").Description("Spendable points (negative only after an admin overdraft).").Resolve(c => c.Source.Approved);
        Field<NonNullGraphType<LongGraphType>>("pending").Description("Points earned but not yet approved (e.g. within a return window).").Resolve(c => c.Source.Pending);
        Field<NonNullGraphType<LongGraphType>>("total").Description("approved + pending.").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<LongGraphType>>("spent").Description("Points spent on rewards over the membership.").Resolve(c => c.Source.Spent);
        Field<NonNullGraphType<LongGraphType>>("expired").Description("Points lost to expiry over the membership.").Resolve(c => c.Source.Expired);
        Field<NonNullGraphType<LongGraphType>>("lifetime").Description("Approved points ever earned, less what refunds took back (spending does not reduce it); the tier metric.").Resolve(c => c.Source.Lifetime);
        Field<DateTimeGraphType>("lastUpdatedAt").Description("When the balance last changed (UTC; enrollment time until the first entry); null for a member without a balance row.")
            .Resolve(c => c.Source.LastUpdatedAt == default ? null : c.Source.LastUpdatedAt.UtcDateTime);
    }
}

public sealed class LedgerEntryType : ObjectGraphType<LedgerEntryView>
{
    public const string TypeName = "LedgerEntry";

    public LedgerEntryType()
    {
        Name = TypeName;
        Description = "One append-only line of a member's points ledger. Corrections are new entries; only a pending entry's status changes.";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is LedgerEntryView;
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the entry.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<LedgerEntryKindType>>("kind").Description("What kind of change.").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<LedgerEntryStatusType>>("status").Description("Whether the points count yet.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<LongGraphType>>("points").Description("Signed points: positive credits, negative debits.").Resolve(c => c.Source.Points);
        Field(e => e.Reason, nullable: true).Description("Why, as given by the actor.");
        Field(e => e.Actor).Description("Who caused it, e.g. `admin:alice`, `service:sync`, `system`.");
        Field(e => e.SourceReference, nullable: true).Description("What it came from, e.g. an order reference.");
        Field<NonNullGraphType<DateTimeGraphType>>("occurredAt").Description("When the change happened (UTC), e.g. the order date.").Resolve(c => c.Source.OccurredAt.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("recordedAt").Description("When the ledger recorded it (UTC).").Resolve(c => c.Source.RecordedAt.UtcDateTime);
    }
}

public sealed class LedgerEntryKindType : EnumerationGraphType
{
    public LedgerEntryKindType()
    {
        Name = "LedgerEntryKind";
        Description = "The kind of a ledger entry.";
        Add("EARN", LedgerEntryKind.Earn, "Points earned by a purchase or activity (credit).");
        Add("ADJUSTMENT", LedgerEntryKind.Adjustment, "A manual change by staff or a service (either sign).");
        Add("REDEEM", LedgerEntryKind.Redeem, "Points spent on a reward (debit).");
        Add("EXPIRE", LedgerEntryKind.Expire, "Points that expired (debit).");
        Add("REVERSAL", LedgerEntryKind.Reversal, "Points taken back by a refund (a debit, also lowering lifetime points), or the credit that stops a refund at a zero balance (not counted as earned).");
        Add("BONUS", LedgerEntryKind.Bonus, "Bonus points, e.g. welcome or birthday (credit).");
    }
}

public sealed class LedgerEntryStatusType : EnumerationGraphType
{
    public LedgerEntryStatusType()
    {
        Name = "LedgerEntryStatus";
        Description = "Whether an entry's points count.";
        Add("PENDING", LedgerEntryStatus.Pending, "Earned but not yet spendable.");
        Add("APPROVED", LedgerEntryStatus.Approved, "Counted in the balance.");
        Add("CANCELLED", LedgerEntryStatus.Cancelled, "A pending credit that was cancelled; never counted.");
    }
}

public sealed class HistoryFilterArgs
{
    public List<LedgerEntryKind>? Kinds { get; set; }
    public DateTime? From { get; set; }
    public DateTime? To { get; set; }
}

public sealed class HistoryFilterInputType : InputObjectGraphType<HistoryFilterArgs>
{
    public HistoryFilterInputType()
    {
        Name = "HistoryFilterInput";
        Description = "Restricts a member's history; every field optional.";
        Field<ListGraphType<NonNullGraphType<LedgerEntryKindType>>>("kinds").Description("Only entries of these kinds (empty or null: all).");
        Field<DateTimeGraphType>("from").Description("Only entries that occurred at or after this time.");
        Field<DateTimeGraphType>("to").Description("Only entries that occurred before this time.");
    }
}

public sealed class AdjustPointsArgs
{
    public string MemberId { get; set; } = "";
    public long Points { get; set; }
    public string Reason { get; set; } = "";
    public bool AllowNegative { get; set; }
    public string IdempotencyKey { get; set; } = "";
}

public sealed class AdjustPointsInputType : InputObjectGraphType<AdjustPointsArgs>
{
    public AdjustPointsInputType()
    {
        Name = "AdjustPointsInput";
        Description = "A manual points change. A debit beyond the approved points is refused (INSUFFICIENT_POINTS) unless an admin allows a negative balance.";
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member.");
        Field<NonNullGraphType<LongGraphType>>("points").Description("Signed points: positive credits, negative debits; not zero, at most ±1,000,000,000.");
        Field<NonNullGraphType<StringGraphType>>("reason").Description("Why (required, at most 500 characters); shown in the history.");
        Field<BooleanGraphType>("allowNegative").Description("Admins only: let a debit take the approved balance below zero.").DefaultValue(false);
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Retry key (required): a retry with the same key and input returns the first result and changes nothing.");
    }
}

public sealed record AdjustPointsResult(MemberView? Member, LedgerEntryView? Entry, BalanceView? Balance, IReadOnlyList<UserError> UserErrors);

public sealed class AdjustPointsPayloadType : ObjectGraphType<AdjustPointsResult>
{
    public AdjustPointsPayloadType()
    {
        Name = "AdjustPointsPayload";
        Description = "Result of adjustPoints.";
        Field<MemberType>("member").Description("The member; null when refused.").Resolve(c => c.Source.Member);
        Field<LedgerEntryType>("entry").Description("The entry written; null when refused.").Resolve(c => c.Source.Entry);
        Field<BalanceType>("balance").Description("The balance right after this entry (a replay returns the same); null when refused.").Resolve(c => c.Source.Balance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors")
            .Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}
