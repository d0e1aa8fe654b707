using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.GraphQL.Connections;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>Root fields of outbound webhooks: all admin-only (a subscription's URL and delivery log are the program's integration settings).</summary>
public static class WebhookFields
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookSubscriptionType>>>>("webhookSubscriptions")
            .Description("The program's webhook subscriptions, oldest first, with their status (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await WebhookOperations.ListAsync(c.Db(), c.CancellationToken));

        query.Field<ConnectionGraphType<WebhookDeliveryType, WebhookDelivery>>("webhookDeliveries")
            .Description($"A subscription's delivery log, newest first; null when the program has no such subscription (`first` defaults to {DefaultPageSize}, at most {MaxPageSize}) (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<IdGraphType>>("subscriptionId", "Global id of the subscription.")
            .Argument<IntGraphType>("first", "Deliveries after `after`.")
            .Argument<StringGraphType>("after", "Cursor to start after.")
            .Argument<IntGraphType>("last", "Deliveries before `before`.")
            .Argument<StringGraphType>("before", "Cursor to end before.")
            .ResolveAsync(async c => await ResolveContextExtensions.QueryAsync(async () =>
            {
                var id = ResolveContextExtensions.QueryGlobalId(c.GetArgument<string>("subscriptionId"), WebhookSubscriptionType.TypeName);
                var deliveries = await WebhookOperations.DeliveriesAsync(c.Db(), id, c.CancellationToken);
                return deliveries is null ? null : await c.PageAsync(deliveries, d => d, DefaultPageSize, MaxPageSize);
            }));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateWebhookSubscriptionPayloadType>>("createWebhookSubscription")
            .Description("Subscribes a URL to the program's events from now on and returns the signing secret, once (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<CreateWebhookSubscriptionInputType>>("input", "The subscription.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CreateWebhookSubscriptionArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var created = await WebhookOperations.CreateAsync(c.Db(), c.Clock(), Secrets(c), AllowLoopback(c),
                        new CreateWebhookInput(input.Url, input.Types, input.Description), c.CancellationToken);
                    return new WebhookSecretResult(created.Subscription, created.Secret, []);
                }, errors => new WebhookSecretResult(null, null, errors));
            });

        mutation.Field<NonNullGraphType<WebhookSubscriptionPayloadType>>("updateWebhookSubscription")
            .Description("Changes a subscription's URL, event types or description (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<UpdateWebhookSubscriptionInputType>>("input", "The changes.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<UpdateWebhookSubscriptionArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var id = SubscriptionId(input.Id, "id");
                    var sub = await WebhookOperations.UpdateAsync(c.Db(), c.Clock(), AllowLoopback(c),
                        new UpdateWebhookInput(id, input.Url, input.Types, input.Description), c.CancellationToken);
                    return new WebhookSubscriptionResult(sub, []);
                }, errors => new WebhookSubscriptionResult(null, errors));
            });

        mutation.Field<NonNullGraphType<WebhookSubscriptionPayloadType>>("enableWebhookSubscription")
            .Description("Re-enables a subscription (after it was disabled for failing): it resumes with the event it stopped on (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<WebhookSubscriptionIdInputType>>("input", "The subscription.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<WebhookSubscriptionIdArgs>("input");
                return await Mutations.RunAsync(
                    async () => new WebhookSubscriptionResult(await WebhookOperations.EnableAsync(c.Db(), c.Clock(), SubscriptionId(input.Id, "id"), c.CancellationToken), []),
                    errors => new WebhookSubscriptionResult(null, errors));
            });

        mutation.Field<NonNullGraphType<RotateWebhookSecretPayloadType>>("rotateWebhookSecret")
            .Description("Replaces a subscription's signing secret and returns the new one, once (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<WebhookSubscriptionIdInputType>>("input", "The subscription.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<WebhookSubscriptionIdArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var rotated = await WebhookOperations.RotateSecretAsync(c.Db(), c.Clock(), Secrets(c), SubscriptionId(input.Id, "id"), c.CancellationToken);
                    return new WebhookSecretResult(rotated.Subscription, rotated.Secret, []);
                }, errors => new WebhookSecretResult(null, null, errors));
            });

        mutation.Field<NonNullGraphType<DeleteWebhookSubscriptionPayloadType>>("deleteWebhookSubscription")
            .Description("Deletes a subscription and its delivery log; nothing more is sent to it (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<WebhookSubscriptionIdInputType>>("input", "The subscription.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<WebhookSubscriptionIdArgs>("input");
                return await Mutations.RunAsync(
                    async () => new DeleteWebhookSubscriptionResult(await WebhookOperations.DeleteAsync(c.Db(), SubscriptionId(input.Id, "id"), c.CancellationToken), []),
                    errors => new DeleteWebhookSubscriptionResult(null, errors));
            });

        mutation.Field<NonNullGraphType<RedeliverWebhookPayloadType>>("redeliverWebhook")
            .Description("Sends an event to a subscription again, now, whatever its status, and logs the attempt; the cursor and failure count do not change (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<RedeliverWebhookInputType>>("input", "A delivery, or a subscription and an event.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RedeliverWebhookArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var db = c.Db();
                    Guid subscriptionId, eventId;
                    if (input.DeliveryId is { } deliveryGlobalId)
                    {
                        if (!ResolveContextExtensions.TryParseGlobalId(deliveryGlobalId, WebhookDeliveryType.TypeName, out var deliveryId))
                            throw new Common.InvalidInputException("deliveryId", $"'{deliveryGlobalId}' is not a {WebhookDeliveryType.TypeName} id.");
                        var delivery = await WebhookOperations.FindDeliveryAsync(db, deliveryId, c.CancellationToken);
                        (subscriptionId, eventId) = (delivery.SubscriptionId, delivery.EventId);
                    }
                    else
                    {
                        subscriptionId = SubscriptionId(input.SubscriptionId, "subscriptionId");
                        if (!Guid.TryParse(input.EventId, out eventId))
                            throw new Common.InvalidInputException("eventId", "Give deliveryId, or subscriptionId and eventId (the event's UUID).");
                    }
                    var result = await c.RequestServices!.GetRequiredService<WebhookDispatcher>().RedeliverAsync(db, subscriptionId, eventId, c.CancellationToken);
                    return new RedeliverWebhookResult(result, []);
                }, errors => new RedeliverWebhookResult(null, errors));
            });
    }

    private static Guid SubscriptionId(string? globalId, string field) =>
        ResolveContextExtensions.ParseGlobalId(globalId, WebhookSubscriptionType.TypeName, field);

    private static WebhookSecrets Secrets(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<WebhookSecrets>();

    private static bool AllowLoopback(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IOptions<WebhooksOptions>>().Value.AllowLoopback;
}
