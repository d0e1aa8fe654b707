using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Cli;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Operations;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Tenancy;
using HeadlessLoyalty.Api.Webhooks;

namespace HeadlessLoyalty.Bench.Host;

/// <summary>
/// The API's Program.cs, call for call, plus <see cref="RawBalanceEndpoint"/> and the bench verbs. Keep it in step
/// with src/HeadlessLoyalty.Api/Program.cs: the benchmark is only worth something if the GraphQL side is the real app.
/// Not a top-level program: the API already owns the global <c>Program</c> type.
/// </summary>
internal static class BenchHost
{
    public static async Task<int> Main(string[] args)
    {
        // The API's appsettings.json is copied next to this assembly; read it from there, whatever the working folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
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
        builder.AddLoyaltyStoreIngest(args);
        builder.Services.AddBenchVerbs();

        var app = builder.Build();
        if (CliExtensions.IsCliInvocation(args))
            return await app.RunCliAsync(args);

        app.UseLoyaltyOperations();
        app.UseLoyaltyAuth();
        app.MapHealth();
        app.MapLoyaltyGraphQL();
        app.MapStoreWebhooks();
        app.MapRawBalance();
        app.MapBenchStats();

        await app.RunAsync();
        return 0;
    }
}
