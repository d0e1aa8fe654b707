using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Segments;

/// <summary>
/// A member's segment as the <c>segments</c> job last recorded it, and since when (the run that saw the member enter
/// it). No row: the job never saw the member with a segment. A member who leaves every segment keeps a row whose
/// <see cref="Segment"/> is null, so the next entry is a change again.
/// <para>
/// The recorded value trails the truth by at most one run (segments move with time alone); <c>Member.segment</c>
/// therefore keeps computing the segment when read. The row exists so the job can tell a change from a rerun.
/// </para>
/// </summary>
public sealed class MemberSegment : ITenantOwned
{
    public required Guid MemberId { get; init; }
    public Guid ProgramId { get; set; }
    public Segment? Segment { get; set; }
    /// <summary>When the job recorded the member entering <see cref="Segment"/>.</summary>
    public DateTimeOffset Since { get; set; }
    /// <summary>Concurrency token: two runs at once record (and announce) a change once.</summary>
    public long Version { get; set; }
}
