using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>Not an absolute http(s) URL, or one with user info, or too long.</summary>
public sealed class WebhookUrlInvalidException(string message) : LoyaltyException(ErrorCodes.WebhookUrlInvalid, message, "url");

/// <summary>An http(s) URL whose host is a loopback, private, link-local or otherwise internal address.</summary>
public sealed class WebhookUrlForbiddenException(string message) : LoyaltyException(ErrorCodes.WebhookUrlForbidden, message, "url");

public sealed class WebhookSubscriptionNotFoundException(string field = "id") : LoyaltyException(
    ErrorCodes.WebhookSubscriptionNotFound, "No webhook subscription with that id in the program.", field);

public sealed class WebhookDeliveryNotFoundException() : LoyaltyException(
    ErrorCodes.WebhookDeliveryNotFound, "No webhook delivery with that id in the program.", "deliveryId");

/// <summary>redeliverWebhook names an event the program's log does not hold (never existed, or deleted by retention).</summary>
public sealed class WebhookEventNotFoundException() : LoyaltyException(
    ErrorCodes.WebhookEventNotFound, "No event with that id in the program's log (it may have been deleted by retention).", "eventId");
