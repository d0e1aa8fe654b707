using HeadlessLoyalty.Api;
using HeadlessLoyalty.Api.Cli;

namespace HeadlessLoyalty.Bench.Host;

/// <summary>
/// The API's Program.cs (the same <see cref="LoyaltyApplication"/> calls) plus <see cref="RawBalanceEndpoint"/> and the
/// bench verbs: the benchmark is only worth something if the GraphQL side is the real app.
/// Not a top-level program: the API already owns the global <c>Program</c> type.
/// </summary>
internal static class BenchHost
{
    public static async Task<int> Main(string[] args)
    {
        // The API's appsettings.json is copied next to this assembly; read it from there, whatever the working folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddLoyaltyApplication(args);
        builder.Services.AddBenchVerbs();

        var app = builder.Build();
        if (CliExtensions.IsCliInvocation(args))
            return await app.RunCliAsync(args);

        app.UseLoyaltyApplication();
        app.MapRawBalance();
        app.MapBenchStats();

        await app.RunAsync();
        return 0;
    }
}
