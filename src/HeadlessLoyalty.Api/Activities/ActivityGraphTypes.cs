using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Activities;

public sealed class ActivityTypeType : EnumerationGraphType
{
    public ActivityTypeType()
    {
        Name = "ActivityType";
        Description = "What a member did to earn. Each built-in type has one rule, keyed by its snake-case name; custom activities have keys of their own.";
        Add("REVIEW", ActivityType.Review, "Wrote a product review (key `review`).");
        Add("SOCIAL_SHARE", ActivityType.SocialShare, "Shared on a social network (key `social_share`).");
        Add("SIGN_UP", ActivityType.SignUp, "Signed up, e.g. created a store account or joined the newsletter (key `sign_up`).");
        Add("BIRTHDAY", ActivityType.Birthday, "Had a birthday (key `birthday`; use the year as the reference so it is earned once a year).");
        Add("CUSTOM", ActivityType.Custom, "Anything else, under a key the program chooses.");
    }
}

public sealed class ActivityRuleType : ObjectGraphType<ActivityRuleView>
{
    public ActivityRuleType()
    {
        Name = "ActivityRule";
        Description = "An earning activity of the program: its points and how often a member may earn them. Limits count awards per member in calendar windows of the program's time zone.";
        Field(r => r.Key).Description("The activity's key, used by `recordActivity`: `review`, `social_share`, `sign_up`, `birthday` or a custom key.");
        Field<NonNullGraphType<ActivityTypeType>>("type").Description("What kind of activity it is.").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<LongGraphType>>("points").Description("Points per award.").Resolve(c => c.Source.Points);
        Field<IntGraphType>("dailyLimit").Description("Awards per member per day (the program's local day); null: no limit.").Resolve(c => c.Source.DailyLimit);
        Field<IntGraphType>("weeklyLimit").Description("Awards per member per ISO week (Monday to Sunday, local); null: no limit.").Resolve(c => c.Source.WeeklyLimit);
        Field<IntGraphType>("monthlyLimit").Description("Awards per member per calendar month (local); null: no limit.").Resolve(c => c.Source.MonthlyLimit);
        Field<IntGraphType>("lifetimeLimit").Description("Awards per member ever; null: no limit.").Resolve(c => c.Source.LifetimeLimit);
        Field(r => r.Enabled).Description("False: the activity awards nothing (ACTIVITY_NOT_FOUND); past awards stay.");
        Field(r => r.Description, nullable: true).Description("What the member has to do, for people.");
        Field<NonNullGraphType<DateTimeGraphType>>("updatedAt").Description("When the rule last changed (UTC).").Resolve(c => c.Source.UpdatedAt.UtcDateTime);
    }
}

public sealed class ActivityAwardType : ObjectGraphType<ActivityAwardView>
{
    public const string TypeName = "ActivityAward";

    public ActivityAwardType()
    {
        Name = TypeName;
        Description = "Points a member earned for an activity; one per activity key, member and reference.";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is ActivityAwardView;
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the award.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member who earned it.").Resolve(c => GlobalId.Encode(MemberType.TypeName, c.Source.MemberId.ToString()));
        Field(a => a.Key).Description("The activity's key.");
        Field(a => a.Reference).Description("The activity reference it was recorded with (e.g. the review's id).");
        Field<NonNullGraphType<LongGraphType>>("points").Description("Points it earned.").Resolve(c => c.Source.Points);
        Field<NonNullGraphType<IdGraphType>>("entryId").Description("Global id of the ledger entry (a BONUS) that holds the points.").Resolve(c => GlobalId.Encode(LedgerEntryType.TypeName, c.Source.EntryId.ToString()));
        Field<NonNullGraphType<DateTimeGraphType>>("occurredAt").Description("When the member did it (UTC); the limits count by this instant.").Resolve(c => c.Source.OccurredAt.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("recordedAt").Description("When it was recorded (UTC).").Resolve(c => c.Source.RecordedAt.UtcDateTime);
    }
}

public sealed class UpsertActivityRuleArgs
{
    public ActivityType Type { get; set; }
    public string? Key { get; set; }
    public long Points { get; set; }
    public int? DailyLimit { get; set; }
    public int? WeeklyLimit { get; set; }
    public int? MonthlyLimit { get; set; }
    public int? LifetimeLimit { get; set; }
    public bool Enabled { get; set; } = true;
    public string? Description { get; set; }

    public ActivityRuleInput ToInput() => new(Type, Key, Points, DailyLimit, WeeklyLimit, MonthlyLimit, LifetimeLimit, Enabled, Description);
}

public sealed class UpsertActivityRuleInputType : InputObjectGraphType<UpsertActivityRuleArgs>
{
    public UpsertActivityRuleInputType()
    {
        Name = "UpsertActivityRuleInput";
        Description = "An activity rule, created or replaced as a whole by its key: a limit left out means no limit.";
        Field<NonNullGraphType<ActivityTypeType>>("type").Description("The kind of activity.");
        Field<StringGraphType>("key").Description("For CUSTOM: the key (1-63 of a-z, 0-9, '_', '-', starting with a letter or digit; not a built-in key). For built-in types leave out (or give the type's key).");
        Field<NonNullGraphType<LongGraphType>>("points").Description("Points per award, 1 to 1,000,000,000.");
        Field<IntGraphType>("dailyLimit").Description("Awards per member per local day (at least 1).");
        Field<IntGraphType>("weeklyLimit").Description("Awards per member per ISO week (at least 1, not below the daily limit).");
        Field<IntGraphType>("monthlyLimit").Description("Awards per member per calendar month (at least 1, not below the daily or weekly limit).");
        Field<IntGraphType>("lifetimeLimit").Description("Awards per member ever (at least 1, not below any other limit).");
        Field<BooleanGraphType>("enabled").Description("False stops awarding it.").DefaultValue(true);
        Field<StringGraphType>("description").Description("What the member has to do (at most 500 characters).");
    }
}

public sealed class RecordActivityArgs
{
    public string MemberId { get; set; } = "";
    public string Key { get; set; } = "";
    public string Reference { get; set; } = "";
    public DateTime? OccurredAt { get; set; }
}

public sealed class RecordActivityInputType : InputObjectGraphType<RecordActivityArgs>
{
    public RecordActivityInputType()
    {
        Name = "RecordActivityInput";
        Description = "An activity a member did. Idempotent per (key, memberId, reference): sending it again earns nothing more.";
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member.");
        Field<NonNullGraphType<StringGraphType>>("key").Description("The activity's key, e.g. `review`.");
        Field<NonNullGraphType<StringGraphType>>("reference").Description("Your id of this activity (a review id, a share URL, the year for a birthday), at most 200 characters.");
        Field<DateTimeGraphType>("occurredAt").Description("When the member did it; default now. The limits count by it; not in the future.");
    }
}

public sealed record UpsertActivityRuleResult(ActivityRuleView? ActivityRule, IReadOnlyList<UserError> UserErrors);

public sealed class UpsertActivityRulePayloadType : ObjectGraphType<UpsertActivityRuleResult>
{
    public UpsertActivityRulePayloadType()
    {
        Name = "UpsertActivityRulePayload";
        Description = "Result of upsertActivityRule.";
        Field<ActivityRuleType>("activityRule").Description("The rule now in force; null when refused.").Resolve(c => c.Source.ActivityRule);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record RecordActivityResult(ActivityAwardView? Award, BalanceView? Balance, bool Replayed, IReadOnlyList<UserError> UserErrors);

public sealed class RecordActivityPayloadType : ObjectGraphType<RecordActivityResult>
{
    public RecordActivityPayloadType()
    {
        Name = "RecordActivityPayload";
        Description = "Result of recordActivity.";
        Field<ActivityAwardType>("award").Description("The award (the first one when replayed); null when refused.").Resolve(c => c.Source.Award);
        Field<BalanceType>("balance").Description("The member's balance after it; null when refused.").Resolve(c => c.Source.Balance);
        Field<NonNullGraphType<BooleanGraphType>>("replayed").Description("True when this activity was already recorded and nothing changed.").Resolve(c => c.Source.Replayed);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}
