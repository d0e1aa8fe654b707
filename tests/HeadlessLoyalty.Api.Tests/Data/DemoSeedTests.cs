using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.Api.Tests.Data;

public abstract class DemoSeedTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private Task<bool> SeedAsync() => _app.WithScopeAsync(sp => sp.GetRequiredService<DemoSeed>().SeedAsync());

    [DbFact]
    public async Task Seeding_twice_changes_nothing_the_second_time()
    {
        await SeedAsync();
        var before = await _app.WithTenantAsync(DemoSeed.Slug, async db => (await db.Members.CountAsync(), await db.LedgerEntries.CountAsync(), await db.Tiers.CountAsync()));

        var seededAgain = await SeedAsync();

        var after = await _app.WithTenantAsync(DemoSeed.Slug, async db => (await db.Members.CountAsync(), await db.LedgerEntries.CountAsync(), await db.Tiers.CountAsync()));
        Assert.False(seededAgain);
        Assert.Equal(before, after);
        Assert.Equal(1, await _app.WithTenantlessDb(db => db.Programs.CountAsync(p => p.Slug == DemoSeed.Slug)));
    }

    [DbFact]
    public async Task The_demo_program_has_three_tiers_and_members_whose_balance_is_the_sum_of_their_ledger()
    {
        await SeedAsync();

        var program = await _app.WithTenantlessDb(db => db.Programs.SingleAsync(p => p.Slug == DemoSeed.Slug));
        var tiers = await _app.WithTenantAsync(DemoSeed.Slug, db => db.Tiers.OrderBy(t => t.Rank).Select(t => new { t.Name, t.Threshold }).ToListAsync());
        var members = await _app.WithTenantAsync(DemoSeed.Slug, async db =>
        {
            var balances = await db.Balances.ToListAsync();
            var entries = await db.LedgerEntries.ToListAsync();
            return balances.Select(b => (Balance: b, Entries: entries.Where(e => e.MemberId == b.MemberId).ToList())).ToList();
        });

        Assert.Equal(("Demo Store", "USD"), (program.Name, program.Currency));
        Assert.Equal([new { Name = "Bronze", Threshold = 0m }, new { Name = "Silver", Threshold = 1000m }, new { Name = "Gold", Threshold = 5000m }], tiers);
        Assert.True(members.Count >= 3);
        Assert.All(members, m =>
        {
            Assert.NotEmpty(m.Entries);
            Assert.Equal(m.Entries.Where(e => e.Status == LedgerEntryStatus.Approved).Sum(e => e.Points), m.Balance.Approved);
            Assert.Equal(m.Entries.Where(e => e.Status == LedgerEntryStatus.Pending).Sum(e => e.Points), m.Balance.Pending);
            Assert.Equal(m.Entries.Where(e => e.Points > 0).Sum(e => e.Points), m.Balance.Lifetime);
            Assert.Equal(-m.Entries.Where(e => e.Kind == LedgerEntryKind.Redeem).Sum(e => e.Points), m.Balance.Spent);
        });
        Assert.Contains(members, m => m.Balance.Lifetime >= 5000);
    }

    [DbFact]
    public async Task Demo_members_hold_the_tier_their_points_earned_this_year_reach_and_their_progress_says_so()
    {
        await SeedAsync();
        using var client = _app.CreateClient(_app.MintToken(DemoSeed.Slug, HeadlessLoyalty.Api.Auth.Roles.Admin));

        using var result = await HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient.PostGraphQLAsync(client,
            "{ members(first: 10) { nodes { email tier { current { name } progress expiresAt } } } }");

        var tiers = result.Data.GetProperty("members").GetProperty("nodes").EnumerateArray()
            .ToDictionary(n => n.GetProperty("email").GetString()!, n => n.GetProperty("tier"));
        Assert.Equal(("Silver", 1200m), (tiers["ada@example.com"].GetProperty("current").GetProperty("name").GetString(), tiers["ada@example.com"].GetProperty("progress").GetDecimal()));
        Assert.Equal(("Gold", 5600m), (tiers["grace@example.com"].GetProperty("current").GetProperty("name").GetString(), tiers["grace@example.com"].GetProperty("progress").GetDecimal()));
        Assert.Equal("Bronze", tiers["linus@example.com"].GetProperty("current").GetProperty("name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, tiers["linus@example.com"].GetProperty("expiresAt").ValueKind);
    }
}

public sealed class DemoSeedTestsOnSqlite(SqliteFixture fixture) : DemoSeedTests(fixture), IClassFixture<SqliteFixture>;

public sealed class DemoSeedTestsOnPostgres(PostgresFixture fixture) : DemoSeedTests(fixture), IClassFixture<PostgresFixture>;

/// <summary>The embedded default: nothing configured but a data folder.</summary>
public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task A_first_start_on_the_embedded_default_creates_the_data_folder_migrates_and_seeds_the_demo_program()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hl-tests", Guid.NewGuid().ToString("N"), "data");
        var app = new EmbeddedApp(dir);
        await using (app)
        {
            _ = app.Server;
            Assert.True(File.Exists(Path.Combine(dir, "loyalty.db")));
            var demo = await app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<LoyaltyDbContext>()
                .Programs.SingleAsync(p => p.Slug == DemoSeed.Slug);
            Assert.Equal("Demo Store", demo.Name);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }

    private sealed class EmbeddedApp(string dataDirectory) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
            builder.UseSetting("Database:DataDirectory", dataDirectory);
    }
}
