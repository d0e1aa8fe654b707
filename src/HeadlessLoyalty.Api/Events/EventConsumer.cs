using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// A durable consumer cursor: the position a named consumer of a program (an ESP sync worker, a partner's importer)
/// has acknowledged, so it resumes without local state. Only ever moves forward.
/// </summary>
public sealed class EventConsumer : ITenantOwned
{
    public const int MaxNameLength = 100;

    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    /// <summary>Chosen by the consumer; unique per program.</summary>
    public required string Name { get; init; }
    /// <summary>The highest position acknowledged.</summary>
    public long Position { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the position last moved.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Per program, the highest position the retention job has deleted: a cursor below it may have missed events
/// (<see cref="EventCursorExpiredException"/>); at or above it, every later event is still there.
/// </summary>
public sealed class EventRetentionMark : ITenantOwned
{
    public Guid ProgramId { get; set; }
    public long DeletedThrough { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
