using System.Data.Common;
using HeadlessLoyalty.Api.Cli;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Ingest;
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
        .AddCliVerb("bench seed", "--program <slug> --members <count>", SeedMembersAsync)
        .AddCliVerb("bench store", "--program <slug> --secret <webhook secret>", AddStoreAsync)
        .AddCliVerb("bench store-stats", "--connection <id>", StoreStatsAsync)
        .AddCliVerb("bench drop-database", "", DropDatabaseAsync, migrateFirst: false);

    /// <summary>Adds an ACTIVE WooCommerce connection whose webhook secret is <c>secret</c> (bench/ingest.sh signs with it); prints its id.</summary>
    private static async Task<int> AddStoreAsync(CliContext cli)
    {
        if (cli.Arguments.Option("program") is not { } slug || cli.Arguments.Option("secret") is not { Length: > 0 } secret)
            return cli.Fail("USAGE", "bench store --program <slug> --secret <webhook secret>");
        var program = await cli.Services.GetRequiredService<ProgramDirectory>().FindAsync(slug);
        if (program is null)
            return cli.Fail("UNKNOWN_PROGRAM", $"Program '{slug}' does not exist.");
        cli.Services.GetRequiredService<TenantContext>().Set(program.Id);
        var db = cli.Services.GetRequiredService<LoyaltyDbContext>();
        var secrets = cli.Services.GetRequiredService<StoreSecrets>();
        var id = Guid.NewGuid();
        db.StoreConnections.Add(new StoreConnection
        {
            Id = id, Platform = StorePlatform.WooCommerce, Url = $"https://bench-{id:N}.example.com", Status = StoreConnectionStatus.Active,
            ProtectedCredentials = secrets.ProtectCredentials(new StoreCredentials("ck_bench", "cs_bench", null, null)),
            ProtectedWebhookSecret = secrets.ProtectWebhookSecret(secret), ConnectedAt = cli.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
        });
        await db.SaveChangesAsync();
        cli.Out.WriteLine(id);
        return 0;
    }

    /// <summary>Prints one line of the connection's inbox: total, per status (ignored without the duplicates' receipts), duplicates, purchases, first received, last received, last processed (Unix ms).</summary>
    private static async Task<int> StoreStatsAsync(CliContext cli)
    {
        if (!Guid.TryParse(cli.Arguments.Option("connection"), out var id))
            return cli.Fail("USAGE", "bench store-stats --connection <id>");
        var db = cli.Services.GetRequiredService<LoyaltyDbContext>();
        var rows = db.StoreDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => d.ConnectionId == id);
        var counts = await rows.GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
        var firstReceived = await rows.MinAsync(d => (DateTimeOffset?)d.ReceivedAt);
        var lastReceived = await rows.MaxAsync(d => (DateTimeOffset?)d.ReceivedAt);
        var lastProcessed = await rows.Where(d => d.Status != StoreDeliveryStatus.Pending && d.DedupeKey != null).MaxAsync(d => d.ProcessedAt);
        var duplicates = await rows.CountAsync(d => d.Status == StoreDeliveryStatus.Ignored && d.DedupeKey == null);
        var purchases = await db.Purchases.IgnoreQueryFilters().CountAsync(p => p.StoreId == StoreConnection.KeyOf(id));
        long Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds() ?? 0;
        cli.Out.WriteLine($"total={counts.Values.Sum()} pending={counts.GetValueOrDefault(StoreDeliveryStatus.Pending)} processed={counts.GetValueOrDefault(StoreDeliveryStatus.Processed)} " +
                          $"ignored={counts.GetValueOrDefault(StoreDeliveryStatus.Ignored) - duplicates} duplicates={duplicates} skipped={counts.GetValueOrDefault(StoreDeliveryStatus.Skipped)} failed={counts.GetValueOrDefault(StoreDeliveryStatus.Failed)} " +
                          $"purchases={purchases} first_received_ms={Ms(firstReceived)} last_received_ms={Ms(lastReceived)} last_processed_ms={Ms(lastProcessed)}");
        return 0;
    }

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

    /// <summary>
    /// Adds <c>count</c> members with a balance row each, so that reads run against a program of realistic size: a
    /// query whose cost grows with the program (a scan, a window over every balance) looks fine on three demo members.
    /// </summary>
    private static async Task<int> SeedMembersAsync(CliContext cli)
    {
        if (cli.Arguments.Option("program") is not { } slug || !int.TryParse(cli.Arguments.Option("members"), out var count) || count < 0)
            return cli.Fail("USAGE", "bench seed --program <slug> --members <count>");
        var program = await cli.Services.GetRequiredService<ProgramDirectory>().FindAsync(slug);
        if (program is null)
            return cli.Fail("UNKNOWN_PROGRAM", $"Program '{slug}' does not exist.");
        cli.Services.GetRequiredService<TenantContext>().Set(program.Id);

        var db = cli.Services.GetRequiredService<LoyaltyDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var next = (await db.Members.MaxAsync(m => (long?)m.MemberNumber) ?? 0) + 1;
        var now = cli.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        for (var done = 0; done < count; done += 5000)
        {
            for (var i = 0; i < Math.Min(5000, count - done); i++, next++)
            {
                var email = $"bench{next}@example.com";
                var member = new Member
                {
                    Id = Guid.CreateVersion7(now), Email = email, NormalizedEmail = Member.NormalizeEmail(email),
                    MemberCode = $"BENCH{next}", MemberNumber = next, EnrolledAt = now, UpdatedAt = now,
                };
                db.Members.Add(member);
                db.Balances.Add(new PointsBalance { MemberId = member.Id, Approved = next % 1000, Lifetime = next % 1000, LastUpdatedAt = now, Version = 1 });
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        cli.Out.WriteLine(count);
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
