using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Webhooks;

public enum WebhookStatus
{
    Active,
    /// <summary>Nothing is delivered until an admin enables it again; the cursor stays, so nothing is lost.</summary>
    Disabled,
}

/// <summary>
/// A program's outbound webhook: where to POST which event types, and the delivery state. The subscription owns a
/// durable cursor into the event log: every event at or below <see cref="Cursor"/> was delivered (a 2xx), and the
/// event after it is the one being delivered or retried. A failing event holds the later ones (per-subscription order).
/// </summary>
public sealed class WebhookSubscription : ITenantOwned
{
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 500;

    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required string Url { get; set; }
    /// <summary>Event types joined by ','; empty: every type.</summary>
    public required string Types { get; set; }
    public string? Description { get; set; }
    /// <summary>The signing secret, encrypted with ASP.NET Core Data Protection (purpose <see cref="WebhookSecrets.Purpose"/>).</summary>
    public required string ProtectedSecret { get; set; }
    public WebhookStatus Status { get; set; }
    /// <summary>Why it was disabled (the last failure), null while active.</summary>
    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    /// <summary>Failed attempts in a row (reset by a 2xx or by enabling).</summary>
    public int ConsecutiveFailures { get; set; }
    /// <summary>The highest position delivered (or, at creation, the log's head: no back-fill).</summary>
    public long Cursor { get; set; }
    /// <summary>When the event after the cursor may be attempted again; null: now.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    /// <summary>A dispatcher working on it holds it until then (one dispatcher at a time across instances).</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset? LastDeliveryAt { get; set; }
    public int? LastStatusCode { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }

    public IReadOnlyList<string> TypeList => Types.Length == 0 ? [] : Types.Split(',');
}

/// <summary>One HTTP attempt to deliver one event to one subscription (the queryable delivery log).</summary>
public sealed class WebhookDelivery : ITenantOwned
{
    public const int MaxErrorLength = 500;

    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid SubscriptionId { get; init; }
    public required Guid EventId { get; init; }
    public required long EventPosition { get; init; }
    public required string EventType { get; init; }
    /// <summary>1 for the first attempt of this event on this subscription; redeliveries count on.</summary>
    public required int Attempt { get; init; }
    public required bool Succeeded { get; init; }
    /// <summary>The receiver's HTTP status; null when no response came (timeout, refused connection, forbidden address).</summary>
    public int? StatusCode { get; init; }
    public required int DurationMs { get; init; }
    public string? Error { get; init; }
    /// <summary>True for an admin's redeliverWebhook.</summary>
    public required bool Manual { get; init; }
    public required DateTimeOffset AttemptedAt { get; init; }
}
