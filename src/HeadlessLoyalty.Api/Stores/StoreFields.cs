using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.GraphQL.Connections;

namespace HeadlessLoyalty.Api.Stores;

/// <summary>Root fields of store connections: all admin-only (credentials, webhooks and the audit log are the program's integration settings).</summary>
public static class StoreFields
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<StoreConnectionType>("storeConnection")
            .Description("One store connection; null when the program has none with that id (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<IdGraphType>>("id", "Global id of the connection.")
            .ResolveAsync(async c =>
            {
                var id = ResolveContextExtensions.QueryGlobalId(c.GetArgument<string>("id"), StoreConnectionType.TypeName);
                return await Ops(c).FindAsync(id, c.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StoreConnectionType>>>>("storeConnections")
            .Description("The program's store connections, oldest first, disconnected ones included (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await Ops(c).ListAsync(c.CancellationToken));

        query.Field<NonNullGraphType<ConnectionGraphType<StoreAuditEntryType, StoreAuditEntry>>>("storeAuditLog")
            .Description($"The store audit log, newest first: connect, reconnect, pause, resume, disconnect, settings changes and coupons created on a store (`first` defaults to {DefaultPageSize}, at most {MaxPageSize}) (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<IdGraphType>("connectionId", "Only this connection's lines.")
            .Argument<IntGraphType>("first", "Lines after `after`.")
            .Argument<StringGraphType>("after", "Cursor to start after.")
            .Argument<IntGraphType>("last", "Lines before `before`.")
            .Argument<StringGraphType>("before", "Cursor to end before.")
            .ResolveAsync(async c => await ResolveContextExtensions.QueryAsync(async () =>
            {
                var raw = c.GetArgument<string?>("connectionId");
                Guid? id = raw is null ? null : ResolveContextExtensions.QueryGlobalId(raw, StoreConnectionType.TypeName);
                return await c.PageAsync(Ops(c).AuditLog(id), e => e, DefaultPageSize, MaxPageSize);
            }));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ConnectStorePayloadType>>("connectStore")
            .Description("Connects a WooCommerce or Shopify store, or reconnects the program's connection of the same URL: verifies the credentials against the store, stores them encrypted and registers the webhooks (MANUAL_SETUP when the key cannot) (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<ConnectStoreInputType>>("input", "The store.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ConnectStoreArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var result = await Ops(c).ConnectAsync(c.Caller().Actor,
                        new ConnectStoreInput(input.Platform, input.Url, input.Credentials.ToCredentials(), input.Settings?.ToInput()), c.CancellationToken);
                    var secret = result.Connection.Platform == StorePlatform.WooCommerce ? result.ManualSetupSecret : null;
                    return new ConnectStorePayload(result.Connection, result.Reconnected, secret, []);
                }, errors => new ConnectStorePayload(null, false, null, errors));
            });

        mutation.Field<NonNullGraphType<StoreConnectionPayloadType>>("pauseStore")
            .Description("Pauses a store connection: its deliveries are logged and skipped and redemption on it is refused; pausing a paused store changes nothing (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<StoreConnectionIdInputType>>("input", "The connection.")
            .ResolveAsync(async c => await Mutations.RunAsync(
                async () => new StoreConnectionPayload(await Ops(c).PauseAsync(c.Caller().Actor, Id(c.GetArgument<StoreConnectionIdArgs>("input").Id), c.CancellationToken), []),
                errors => new StoreConnectionPayload(null, errors)));

        mutation.Field<NonNullGraphType<StoreConnectionPayloadType>>("resumeStore")
            .Description("Resumes a paused store connection; what arrived while paused is not back-filled. A live one changes nothing (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<StoreConnectionIdInputType>>("input", "The connection.")
            .ResolveAsync(async c => await Mutations.RunAsync(
                async () => new StoreConnectionPayload(await Ops(c).ResumeAsync(c.Caller().Actor, Id(c.GetArgument<StoreConnectionIdArgs>("input").Id), c.CancellationToken), []),
                errors => new StoreConnectionPayload(null, errors)));

        mutation.Field<NonNullGraphType<StoreConnectionPayloadType>>("updateStoreSettings")
            .Description("Changes a store connection's settings (award moment, points-discount settings); audited with the values before and after (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<UpdateStoreSettingsInputType>>("input", "The connection and its new settings.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<UpdateStoreSettingsArgs>("input");
                return await Mutations.RunAsync(
                    async () => new StoreConnectionPayload(await Ops(c).UpdateSettingsAsync(c.Caller().Actor, Id(input.Id), input.Settings.ToInput(), c.CancellationToken), []),
                    errors => new StoreConnectionPayload(null, errors));
            });

        mutation.Field<NonNullGraphType<DisconnectStorePayloadType>>("disconnectStore")
            .Description("Disconnects a store: deletes our webhooks on the store and erases the stored keys; members keep every point. Disconnecting again changes nothing (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<StoreConnectionIdInputType>>("input", "The connection.")
            .ResolveAsync(async c => await Mutations.RunAsync(async () =>
            {
                var (connection, deleted) = await Ops(c).DisconnectAsync(c.Caller().Actor, Id(c.GetArgument<StoreConnectionIdArgs>("input").Id), c.CancellationToken);
                return new DisconnectStorePayload(connection, deleted, []);
            }, errors => new DisconnectStorePayload(null, null, errors)));
    }

    private static Guid Id(string? globalId) => ResolveContextExtensions.ParseGlobalId(globalId, StoreConnectionType.TypeName, "id");

    private static StoreOperations Ops(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<StoreOperations>();
}
