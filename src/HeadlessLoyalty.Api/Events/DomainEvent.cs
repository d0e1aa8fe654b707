using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// One loyalty event, appended in the same transaction as the change that caused it (a transactional outbox): if
/// the change commits, so does its event; if it rolls back or is refused, there is none. This is the one table the
/// engine writes and the live-events side (subscriptions, webhooks, the ESP sync) reads.
/// </summary>
public sealed class DomainEvent : ITenantOwned
{
    /// <summary>Stable id: consumers deduplicate on it.</summary>
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    /// <summary>One of <see cref="EventTypes"/>, e.g. <c>points.earned</c>.</summary>
    public required string Type { get; init; }
    public Guid? MemberId { get; init; }
    /// <summary>When it happened (e.g. the order date), UTC.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>When the transaction that caused it staged it.</summary>
    public required DateTimeOffset RecordedAt { get; init; }
    /// <summary>The type's payload record as JSON (camelCase, enums as names).</summary>
    public required string Payload { get; init; }
    /// <summary>
    /// The resumable cursor, null until assigned. Positions are given after commit, in commit order, by the log's
    /// sequencer (live-events issue), never by the writing transaction: an identity or sequence value taken inside
    /// the transaction can commit after a higher one, and a reader that had moved past it would skip the event.
    /// </summary>
    public long? Position { get; set; }
}
