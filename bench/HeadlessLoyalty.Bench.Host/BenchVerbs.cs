using System.Data.Common;
using HeadlessLoyalty.Api.Cli;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tenancy;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Bench.Host;

/// <summary>CLI verbs bench/run.sh needs besides the API's own <c>token</c> verb.</summary>
internal static class BenchVerbs
{
    /// <summary>Databases the <c>bench drop-database</c> verb may drop: only the ones run.sh creates.</summary>
    public const string DatabasePrefix = "hl_bench_";

    public static IServiceCollection AddBenchVerbs(this IServiceCollection services) => services
        .AddCliVerb("bench member", "--program <slug> [--email <email>]", PrintMemberAsync)
        .AddCliVerb("bench drop-database", "", DropDatabaseAsync, migrateFirst: false);

    /// <summary>Prints "&lt;guid&gt; &lt;global id&gt;" of a member (by email, else the lowest member number).</summary>
    private static async Task<int> PrintMemberAsync(CliContext cli)
    {
        if (cli.Arguments.Option("program") is not { } slug)
            return cli.Fail("USAGE", "bench member --program <slug> [--email <email>]");
        var program = await cli.Services.GetRequiredService<ProgramDirectory>().FindAsync(slug);
        if (program is null)
            return cli.Fail("UNKNOWN_PROGRAM", $"Program '{slug}' does not exist.");
        cli.Services.GetRequiredService<TenantContext>().Set(program.Id);

        var members = cli.Services.GetRequiredService<LoyaltyDbContext>().Members.AsNoTracking();
        if (cli.Arguments.Option("email") is { } email)
            members = members.Where(m => m.Email == email);
        var id = await members.OrderBy(m => m.MemberNumber).Select(m => (Guid?)m.Id).FirstOrDefaultAsync();
        if (id is null)
            return cli.Fail("UNKNOWN_MEMBER", $"No such member in program '{slug}'.");
        cli.Out.WriteLine($"{id} {GlobalId.Encode("Member", id.Value.ToString())}");
        return 0;
    }

    /// <summary>Drops the configured server database, refusing any whose name run.sh did not make.</summary>
    private static async Task<int> DropDatabaseAsync(CliContext cli)
    {
        var settings = cli.Services.GetRequiredService<DatabaseSettings>();
        if (settings.Provider == DatabaseProvider.Sqlite)
            return cli.Fail("NOT_A_SERVER_DATABASE", "SQLite benchmark databases live in a temp folder: delete the folder.");
        var builder = new DbConnectionStringBuilder { ConnectionString = settings.ConnectionString };
        var name = builder.TryGetValue("Database", out var value) ? value as string : null;
        if (name is null || !name.StartsWith(DatabasePrefix, StringComparison.Ordinal))
            return cli.Fail("REFUSED", $"Only databases named {DatabasePrefix}* are dropped by this verb (got '{name}').");
        await cli.Services.GetRequiredService<LoyaltyDbContext>().Database.EnsureDeletedAsync();
        return 0;
    }
}
