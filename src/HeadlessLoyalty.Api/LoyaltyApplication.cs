using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Cli;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Operations;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Checkout;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Stores.Pos;
using HeadlessLoyalty.Api.Stores.Shopify;
using HeadlessLoyalty.Api.Tenancy;
using HeadlessLoyalty.Api.Webhooks;

namespace HeadlessLoyalty.Api;

/// <summary>
/// The whole application, in one place: Program.cs and the benchmark host (bench/) both call these, so the benchmark
/// always measures exactly the app's services and pipeline.
/// </summary>
public static class LoyaltyApplication
{
    /// <summary>Every feature's services, in dependency order.</summary>
    public static WebApplicationBuilder AddLoyaltyApplication(this WebApplicationBuilder builder, string[] args)
    {
        builder.AddLoyaltyOperations();
        builder.AddLoyaltyData();
        builder.AddLoyaltyTenancy();
        builder.AddLoyaltyAuth();
        builder.AddLoyaltyCli(args);
        builder.AddLoyaltyGraphQL();
        builder.AddLoyaltyJobs(args);
        builder.AddLoyaltyEvents(args);
        builder.AddLoyaltyWebhooks(args);
        builder.AddLoyaltyStores();
        builder.AddLoyaltyCheckout();
        builder.AddShopifyPosSessionTokens();
        builder.AddShopifyMetafieldSync(args);
        builder.AddLoyaltyStoreIngest(args);
        return builder;
    }

    /// <summary>The request pipeline and every endpoint: health, GraphQL (HTTP, WebSocket, SSE), store webhooks, the app proxy.</summary>
    public static WebApplication UseLoyaltyApplication(this WebApplication app)
    {
        app.UseLoyaltyOperations();
        app.UseLoyaltyAuth();
        app.MapHealth();
        app.MapLoyaltyGraphQL();
        app.MapStoreWebhooks();
        app.MapShopifyAppProxy();
        return app;
    }
}
