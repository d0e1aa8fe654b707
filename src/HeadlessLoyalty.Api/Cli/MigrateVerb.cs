using HeadlessLoyalty.Api.Data;

namespace HeadlessLoyalty.Api.Cli;

internal static class MigrateVerb
{
    public static async Task<int> RunAsync(CliContext cli)
    {
        var settings = cli.Services.GetRequiredService<DatabaseSettings>();
        var applied = await cli.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        cli.Out.WriteLine(applied.Count == 0
            ? $"{settings.Provider} database is up to date."
            : $"Applied {applied.Count} migration(s) to the {settings.Provider} database: {string.Join(", ", applied)}");
        return 0;
    }
}
