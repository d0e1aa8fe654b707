using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// Marks a notice a scheduled run has sent a member (a birthday greeting, later expiry and tier warnings), unique per
/// (member, kind, period key): a rerun of the run, or a run on another instance, finds the mark and sends nothing twice.
/// </summary>
public sealed class MemberNotice : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid MemberId { get; init; }
    /// <summary>The event type it announced, e.g. <c>birthday.today</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>The period it was for, e.g. the year of a birthday.</summary>
    public required string Key { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}
