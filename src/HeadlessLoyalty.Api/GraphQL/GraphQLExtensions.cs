using GraphQL;
using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Cli;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Tenancy;
using HeadlessLoyalty.Api.Tiers;
using HeadlessLoyalty.GraphQL;
using HeadlessLoyalty.GraphQL.Authorization;
using HeadlessLoyalty.GraphQL.Connections;
using HeadlessLoyalty.GraphQL.DataLoading;
using HeadlessLoyalty.GraphQL.Relay;
using HeadlessLoyalty.GraphQL.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.GraphQL;

public static class GraphQLExtensions
{
    /// <summary>
    /// The schema on the HeadlessLoyalty.GraphQL transport. Transport settings bind from the <c>GraphQL</c> section
    /// (see <see cref="GraphQLHttpOptions"/>); the IDE and exception details default to on in Development only.
    /// </summary>
    public static WebApplicationBuilder AddLoyaltyGraphQL(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<GraphQLHttpOptions>()
            .Configure(o => o.EnableIde = o.ExposeExceptionDetails = development)
            .BindConfiguration("GraphQL");
        // graphql-transport-ws and graphql-sse at the same path; settings in GraphQL:Streaming.
        builder.Services.AddOptions<GraphQLStreamingOptions>().BindConfiguration("GraphQL:Streaming");
        builder.Services.AddSingleton<IGraphQLConnectionAuthenticator, Auth.ConnectionInitAuthenticator>();
        builder.Services.AddSingleton<IGraphQLScopeInitializer, CallerScopeInitializer>();
        builder.Services.AddGraphQL(graphql => graphql
            .AddSchema<LoyaltySchema>()
            .AddSystemTextJson()
            .AddGraphTypes(typeof(LoyaltySchema).Assembly)
            .AddFieldAuthorization()
            .AddDataLoaders()
            .AddConnectionGraphTypes()
            .AddRelayNodes(RegisterNodes)
            .AddHttpTransport()
            .AddWebSocketTransport<LoyaltySchema>()
            .AddServerSentEventsTransport<LoyaltySchema>());
        builder.Services.AddCliVerb("schema export", "[--output <file>] (default: stdout)", SchemaExportVerb.RunAsync, migrateFirst: false);
        return builder;
    }

    public static WebApplication MapLoyaltyGraphQL(this WebApplication app)
    {
        app.MapGraphQLHttp<LoyaltySchema>("/graphql");
        return app;
    }

    /// <summary>node(id:) loaders. They apply the same visibility as the types' own fields: the tenant filter, and a
    /// storefront caller sees only its own member and that member's entries (anything else is null, like a missing id).</summary>
    private static void RegisterNodes(NodeResolverRegistry nodes) => nodes
        .Register(MemberType.TypeName, async (c, raw) =>
        {
            if (!Guid.TryParse(raw, out var id) || !MayRead(c, id))
                return null;
            return await MemberQueries.FindByIdAsync(c.Db(), id, c.CancellationToken) is { } m ? MemberView.Of(m) : null;
        })
        .Register(LedgerEntryType.TypeName, async (c, raw) =>
        {
            if (!Guid.TryParse(raw, out var id))
                return null;
            var entry = await c.Db().LedgerEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, c.CancellationToken);
            return entry is not null && MayRead(c, entry.MemberId) ? LedgerEntryView.Of(entry) : null;
        })
        .Register(PurchaseType.TypeName, async (c, raw) =>
        {
            if (!Guid.TryParse(raw, out var id))
                return null;
            var purchase = await c.Db().Purchases.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, c.CancellationToken);
            return purchase is not null && MayRead(c, purchase.MemberId) ? PurchaseView.Of(purchase) : null;
        })
        .Register(ActivityAwardType.TypeName, async (c, raw) =>
        {
            if (!Guid.TryParse(raw, out var id))
                return null;
            var award = await c.Db().ActivityAwards.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, c.CancellationToken);
            return award is not null && MayRead(c, award.MemberId) ? ActivityAwardView.Of(award) : null;
        })
        .Register(TierType.TypeName, async (c, raw) =>
            Guid.TryParse(raw, out var id) ? await c.Db().Tiers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, c.CancellationToken) : null);

    /// <summary>Storefront tokens read one member's data only; every other role reads the whole program.</summary>
    private static bool MayRead(IResolveFieldContext context, Guid memberId)
    {
        var caller = context.Caller();
        return caller.Roles.Any(r => r != Auth.Roles.Storefront) || caller.MemberId == memberId;
    }
}
