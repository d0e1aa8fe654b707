using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Activities;

/// <summary>What a member did to earn. The built-in types have one rule each, keyed by the type's snake-case name.</summary>
public enum ActivityType { Review, SocialShare, SignUp, Birthday, Custom }

/// <summary>Which calendar window of the program's time zone a limit counts awards in.</summary>
public enum ActivityWindow { Day, Week, Month, Lifetime }

/// <summary>
/// One earning activity of a program: its points and how often a member may earn them. Keyed per program:
/// <c>review</c>, <c>social_share</c>, <c>sign_up</c>, <c>birthday</c>, or a custom key. Limits count awards per
/// member in a calendar window (null: no limit); checked by <see cref="ActivityRules.Validate"/>.
/// </summary>
public sealed class ActivityRule : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required string Key { get; init; }
    public required ActivityType Type { get; init; }
    public long Points { get; set; }
    public int? DailyLimit { get; set; }
    public int? WeeklyLimit { get; set; }
    public int? MonthlyLimit { get; set; }
    public int? LifetimeLimit { get; set; }
    /// <summary>A disabled rule awards nothing (ACTIVITY_NOT_FOUND), but its past awards stay.</summary>
    public bool Enabled { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public void CopyFrom(ActivityRuleInput input, DateTimeOffset at)
    {
        Points = input.Points;
        DailyLimit = input.DailyLimit;
        WeeklyLimit = input.WeeklyLimit;
        MonthlyLimit = input.MonthlyLimit;
        LifetimeLimit = input.LifetimeLimit;
        Enabled = input.Enabled;
        Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        UpdatedAt = at;
    }
}

/// <summary>
/// One award of an activity to a member, unique per (rule key, member, reference): the activity reference (a review
/// id, a share URL, a year for birthdays) makes a resent activity find this row instead of earning again.
/// </summary>
public sealed class ActivityAward : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid MemberId { get; init; }
    public required string RuleKey { get; init; }
    public required string Reference { get; init; }
    public required long Points { get; init; }
    /// <summary>The Bonus ledger entry that holds the points.</summary>
    public required Guid EntryId { get; init; }
    /// <summary>When the member did it; the limits count awards by this instant in the program's time zone.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}
