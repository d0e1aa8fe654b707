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

var builder = WebApplication.CreateBuilder(args);
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

var app = builder.Build();
if (CliExtensions.IsCliInvocation(args))
    return await app.RunCliAsync(args);

app.UseLoyaltyOperations();
app.UseLoyaltyAuth();
app.MapHealth();
app.MapLoyaltyGraphQL();
app.MapStoreWebhooks();
app.MapShopifyAppProxy();

await app.RunAsync();
return 0;

/// <summary>Exposed for WebApplicationFactory in tests.</summary>
public partial class Program;
