using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Activities;

/// <summary>
/// A rule as an admin configures it. <see cref="Key"/> may be null for the built-in types (it is the type's key);
/// a custom activity needs one. Every upsert replaces the whole rule: a limit left null means no limit.
/// </summary>
public sealed record ActivityRuleInput(
    ActivityType Type, string? Key, long Points, int? DailyLimit = null, int? WeeklyLimit = null, int? MonthlyLimit = null,
    int? LifetimeLimit = null, bool Enabled = true, string? Description = null);

/// <summary>An activity a member did. <see cref="OccurredAt"/> null: now.</summary>
public sealed record RecordActivityInput(Guid MemberId, string Key, string Reference, DateTimeOffset? OccurredAt = null);

public sealed record ActivityRuleView(
    string Key, ActivityType Type, long Points, int? DailyLimit, int? WeeklyLimit, int? MonthlyLimit, int? LifetimeLimit,
    bool Enabled, string? Description, DateTimeOffset UpdatedAt)
{
    public static ActivityRuleView Of(ActivityRule r) => new(
        r.Key, r.Type, r.Points, r.DailyLimit, r.WeeklyLimit, r.MonthlyLimit, r.LifetimeLimit, r.Enabled, r.Description, r.UpdatedAt);
}

public sealed record ActivityAwardView(
    Guid Id, Guid MemberId, string Key, string Reference, long Points, Guid EntryId, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt)
{
    public static ActivityAwardView Of(ActivityAward a) => new(a.Id, a.MemberId, a.RuleKey, a.Reference, a.Points, a.EntryId, a.OccurredAt, a.RecordedAt);
}

/// <summary><see cref="Replayed"/>: this activity (key, member, reference) was already awarded; nothing new was earned.</summary>
public sealed record RecordActivityPayload(ActivityAwardView Award, BalanceView Balance, bool Replayed);
