using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Webhooks;

public sealed class WebhookStatusType : EnumerationGraphType
{
    public WebhookStatusType()
    {
        Name = "WebhookStatus";
        Description = "Whether a webhook subscription is delivering.";
        Add("ACTIVE", WebhookStatus.Active, "Delivering (or waiting for the next retry of a failing event).");
        Add("DISABLED", WebhookStatus.Disabled, "Stopped after too many failed attempts in a row (`disabledReason` says why); enableWebhookSubscription resumes it where it stopped.");
    }
}

public sealed class WebhookSubscriptionType : ObjectGraphType<WebhookSubscription>
{
    public const string TypeName = "WebhookSubscription";

    public WebhookSubscriptionType()
    {
        Name = TypeName;
        Description = "An outbound webhook of the program: signed POSTs of the log's events, in order, at least once. The signing secret is shown only by createWebhookSubscription and rotateWebhookSecret.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the subscription.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field(s => s.Url).Description("Where events are POSTed (http or https, public addresses only).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("types").Description("The event types delivered (catalog names, e.g. `points.earned`); empty: every type.").Resolve(c => c.Source.TypeList);
        Field(s => s.Description, nullable: true).Description("A note for people.");
        Field<NonNullGraphType<WebhookStatusType>>("status").Description("ACTIVE or DISABLED.").Resolve(c => c.Source.Status);
        Field(s => s.DisabledReason, nullable: true).Description("Why it was disabled (the count and the last failure); null while active.");
        Field<DateTimeGraphType>("disabledAt").Description("When it was disabled (UTC); null while active.").Resolve(c => c.Source.DisabledAt?.UtcDateTime);
        Field<NonNullGraphType<IntGraphType>>("consecutiveFailures").Description("Failed attempts in a row; a 2xx or enabling resets it.").Resolve(c => c.Source.ConsecutiveFailures);
        Field<NonNullGraphType<LongGraphType>>("cursor").Description("The log position delivered through: the next event delivered is the first matching one after it.").Resolve(c => c.Source.Cursor);
        Field<DateTimeGraphType>("nextAttemptAt").Description("When the failing event is tried again (UTC); null when nothing is waiting for a retry.").Resolve(c => c.Source.NextAttemptAt?.UtcDateTime);
        Field<DateTimeGraphType>("lastDeliveryAt").Description("The last attempt, successful or not (UTC); null before the first.").Resolve(c => c.Source.LastDeliveryAt?.UtcDateTime);
        Field<IntGraphType>("lastStatusCode").Description("The HTTP status of the last attempt; null before the first or when no response came.").Resolve(c => c.Source.LastStatusCode);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Description("When it was created (UTC).").Resolve(c => c.Source.CreatedAt.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("updatedAt").Description("When an admin last changed it (UTC).").Resolve(c => c.Source.UpdatedAt.UtcDateTime);
    }
}

public sealed class WebhookDeliveryType : ObjectGraphType<WebhookDelivery>
{
    public const string TypeName = "WebhookDelivery";

    public WebhookDeliveryType()
    {
        Name = TypeName;
        Description = "One HTTP attempt to deliver one event to one subscription.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the delivery (for redeliverWebhook); also sent as the X-HeadlessLoyalty-Delivery-Id header.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<IdGraphType>>("subscriptionId").Description("Global id of the subscription.").Resolve(c => GlobalId.Encode(WebhookSubscriptionType.TypeName, c.Source.SubscriptionId.ToString()));
        Field<NonNullGraphType<IdGraphType>>("eventId").Description("The event's id (a UUID, the body's `id` and the X-HeadlessLoyalty-Event-Id header).").Resolve(c => c.Source.EventId.ToString());
        Field<NonNullGraphType<LongGraphType>>("eventPosition").Description("The event's position in the log.").Resolve(c => c.Source.EventPosition);
        Field(d => d.EventType).Description("The event's type, e.g. `points.earned`.");
        Field<NonNullGraphType<IntGraphType>>("attempt").Description("1 for the first attempt of this event on this subscription, counting on with retries and redeliveries.").Resolve(c => c.Source.Attempt);
        Field(d => d.Succeeded).Description("True when the receiver answered 2xx.");
        Field<IntGraphType>("statusCode").Description("The receiver's HTTP status; null when no response came (timeout, connection refused, forbidden address, open circuit).").Resolve(c => c.Source.StatusCode);
        Field<NonNullGraphType<IntGraphType>>("durationMs").Description("How long the attempt took, quick retries included, in milliseconds.").Resolve(c => c.Source.DurationMs);
        Field(d => d.Error, nullable: true).Description("Why it failed; null on success.");
        Field(d => d.Manual).Description("True for a redeliverWebhook.");
        Field<NonNullGraphType<DateTimeGraphType>>("attemptedAt").Description("When the attempt finished (UTC).").Resolve(c => c.Source.AttemptedAt.UtcDateTime);
    }
}

public sealed class CreateWebhookSubscriptionArgs
{
    public string Url { get; set; } = "";
    public List<string>? Types { get; set; }
    public string? Description { get; set; }
}

public sealed class CreateWebhookSubscriptionInputType : InputObjectGraphType<CreateWebhookSubscriptionArgs>
{
    public CreateWebhookSubscriptionInputType()
    {
        Name = "CreateWebhookSubscriptionInput";
        Description = "A new webhook subscription; it receives the events recorded from now on.";
        Field<NonNullGraphType<StringGraphType>>("url").Description("An absolute http or https URL on a public address (at most 2000 characters).");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("types").Description("Event types to deliver (catalog names, e.g. `points.earned`); left out or empty: every type.");
        Field<StringGraphType>("description").Description("A note for people (at most 500 characters).");
    }
}

public sealed class UpdateWebhookSubscriptionArgs
{
    public string Id { get; set; } = "";
    public string? Url { get; set; }
    public List<string>? Types { get; set; }
    public string? Description { get; set; }
}

public sealed class UpdateWebhookSubscriptionInputType : InputObjectGraphType<UpdateWebhookSubscriptionArgs>
{
    public UpdateWebhookSubscriptionInputType()
    {
        Name = "UpdateWebhookSubscriptionInput";
        Description = "Changes to a webhook subscription; a field left out stays as it is. The cursor and the status do not change.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the subscription.");
        Field<StringGraphType>("url").Description("A new URL (same rules as on creation).");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("types").Description("New event types; empty: every type. Applies to events after the cursor.");
        Field<StringGraphType>("description").Description("A new note; an empty string clears it.");
    }
}

public sealed class WebhookSubscriptionIdArgs
{
    public string Id { get; set; } = "";
}

public sealed class WebhookSubscriptionIdInputType : InputObjectGraphType<WebhookSubscriptionIdArgs>
{
    public WebhookSubscriptionIdInputType()
    {
        Name = "WebhookSubscriptionIdInput";
        Description = "Names one webhook subscription.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the subscription.");
    }
}

public sealed class RedeliverWebhookArgs
{
    public string? DeliveryId { get; set; }
    public string? SubscriptionId { get; set; }
    public string? EventId { get; set; }
}

public sealed class RedeliverWebhookInputType : InputObjectGraphType<RedeliverWebhookArgs>
{
    public RedeliverWebhookInputType()
    {
        Name = "RedeliverWebhookInput";
        Description = "What to deliver again: a logged delivery (its event to its subscription), or an event to a subscription.";
        Field<IdGraphType>("deliveryId").Description("Global id of a delivery from webhookDeliveries.");
        Field<IdGraphType>("subscriptionId").Description("With eventId (instead of deliveryId): the subscription to deliver to.");
        Field<IdGraphType>("eventId").Description("With subscriptionId: the event's id (UUID), as in the body's `id`.");
    }
}

public sealed record WebhookSecretResult(WebhookSubscription? Subscription, string? Secret, IReadOnlyList<UserError> UserErrors);

public sealed class CreateWebhookSubscriptionPayloadType : ObjectGraphType<WebhookSecretResult>
{
    public CreateWebhookSubscriptionPayloadType()
    {
        Name = "CreateWebhookSubscriptionPayload";
        Description = "Result of createWebhookSubscription.";
        Field<WebhookSubscriptionType>("subscription").Description("The new subscription; null when refused.").Resolve(c => c.Source.Subscription);
        Field<StringGraphType>("secret").Description("The signing secret (`whsec_...`). Shown only here: store it now; rotateWebhookSecret makes a new one.").Resolve(c => c.Source.Secret);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed class RotateWebhookSecretPayloadType : ObjectGraphType<WebhookSecretResult>
{
    public RotateWebhookSecretPayloadType()
    {
        Name = "RotateWebhookSecretPayload";
        Description = "Result of rotateWebhookSecret.";
        Field<WebhookSubscriptionType>("subscription").Description("The subscription; null when refused.").Resolve(c => c.Source.Subscription);
        Field<StringGraphType>("secret").Description("The new signing secret, shown only here; it signs every delivery from now on (the old one no longer does).").Resolve(c => c.Source.Secret);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record WebhookSubscriptionResult(WebhookSubscription? Subscription, IReadOnlyList<UserError> UserErrors);

public sealed class WebhookSubscriptionPayloadType : ObjectGraphType<WebhookSubscriptionResult>
{
    public WebhookSubscriptionPayloadType()
    {
        Name = "WebhookSubscriptionPayload";
        Description = "Result of updateWebhookSubscription and enableWebhookSubscription.";
        Field<WebhookSubscriptionType>("subscription").Description("The subscription as it is now; null when refused.").Resolve(c => c.Source.Subscription);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record DeleteWebhookSubscriptionResult(Guid? DeletedId, IReadOnlyList<UserError> UserErrors);

public sealed class DeleteWebhookSubscriptionPayloadType : ObjectGraphType<DeleteWebhookSubscriptionResult>
{
    public DeleteWebhookSubscriptionPayloadType()
    {
        Name = "DeleteWebhookSubscriptionPayload";
        Description = "Result of deleteWebhookSubscription.";
        Field<IdGraphType>("deletedSubscriptionId").Description("Global id of the deleted subscription; null when refused.")
            .Resolve(c => c.Source.DeletedId is { } id ? GlobalId.Encode(WebhookSubscriptionType.TypeName, id.ToString()) : null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record RedeliverWebhookResult(WebhookDelivery? Delivery, IReadOnlyList<UserError> UserErrors);

public sealed class RedeliverWebhookPayloadType : ObjectGraphType<RedeliverWebhookResult>
{
    public RedeliverWebhookPayloadType()
    {
        Name = "RedeliverWebhookPayload";
        Description = "Result of redeliverWebhook.";
        Field<WebhookDeliveryType>("delivery").Description("The new delivery (it may have failed: see `succeeded`); null when refused.").Resolve(c => c.Source.Delivery);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing was sent; empty otherwise.").Resolve(c => c.Source.UserErrors);
    }
}
