using System.Net;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>
/// Balances and tiers of a member list come through the data loader: the number of SQL commands of one request is
/// the same for 5 members as for 50 (no N+1).
/// </summary>
public abstract class DataLoaderBatchingTests(DatabaseFixture fixture)
{
    /// <summary>
    /// Measured on SQLite and PostgreSQL: count, page, one balances batch, one coupon-counts batch, the segment rules
    /// and two purchase aggregates for segments, one recorded-segments batch for segmentSince, the expiry policy and one lots batch for the expiry outlook, and the
    /// tier status batch (program time zone, tier policy, tiers, membership rows, metric contributions).
    /// </summary>
    private const int MaxCommandsPerRequest = 15;

    private const string Query =
        "query($first: Int!) { members(first: $first) { nodes { id email rewardsClaimed rewardsUsed segment segmentSince nextExpiring { points at } expiringPoints(withinDays: 400) balance { approved total } tier { current { name } nextTier { name } progressNeededToUpgrade progress projectedProgressAtExpiration forecastedTierAtExpiration { name } } } } }";

    private readonly LoyaltyApiFactory _app = fixture.Factory;

    /// <summary>Member i: lifetime 100*i + 21, approved 100*i + 11. Tiers: Bronze 0, Silver 500, Gold 2000.</summary>
    private async Task<string> SeedAsync(int members)
    {
        var slug = NewSlug("dl");
        await _app.CreateProgramAsync(slug);
        await _app.AddTiersAsync(slug, ("Bronze", 0), ("Silver", 500), ("Gold", 2_000));
        await _app.WithTenantAsync(slug, db => ExpiryOperations.UpdatePolicyAsync(db, _app.Clock, new ExpirySettings(12, 24)));
        for (var i = 0; i < members; i++)
        {
            var member = await _app.EnrollAsync(slug, $"m{i:D3}@example.com");
            await _app.AdjustAsync(slug, member.Id, 100 * i + 1);
            await _app.PostAsync(slug, new PostPointsInput(member.Id, LedgerEntryKind.Earn, 20));
            await _app.PostAsync(slug, new PostPointsInput(member.Id, LedgerEntryKind.Redeem, -10, "reward"));
        }
        return slug;
    }

    private async Task<(int Count, IReadOnlyList<string> Commands)> MeasureAsync(string slug, int members)
    {
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        using (var warmUp = await client.PostGraphQLAsync(Query, new { first = members })) // caches: document, program
            Assert.True(warmUp.Status == HttpStatusCode.OK && !warmUp.HasErrors, warmUp.ToString());

        _app.SqlCommands.Reset();
        using var result = await client.PostGraphQLAsync(Query, new { first = members });
        var commands = _app.SqlCommands.Commands;

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        var nodes = result.Data.GetProperty("members").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(members, nodes.Count);
        for (var i = 0; i < members; i++)
        {
            var node = nodes[i];
            var lifetime = 100L * i + 21;
            Assert.Equal($"m{i:D3}@example.com", node.GetProperty("email").GetString());
            Assert.Equal(100L * i + 11, node.GetProperty("balance").GetProperty("approved").GetInt64());
            Assert.Equal((0, 0), (node.GetProperty("rewardsClaimed").GetInt32(), node.GetProperty("rewardsUsed").GetInt32()));
            Assert.Equal(100L * i + 11, node.GetProperty("balance").GetProperty("total").GetInt64());
            Assert.Equal(100L * i + 11, node.GetProperty("nextExpiring").GetProperty("points").GetInt64()); // all earned today: one date
            Assert.Equal(100L * i + 11, node.GetProperty("expiringPoints").GetInt64());
            var tier = node.GetProperty("tier");
            var (current, next, nextThreshold) = lifetime switch
            {
                >= 2_000 => ("Gold", (string?)null, (long?)null),
                >= 500 => ("Silver", "Gold", 2_000L),
                _ => ("Bronze", "Silver", 500L),
            };
            Assert.Equal(current, tier.GetProperty("current").GetProperty("name").GetString());
            Assert.Equal(next, tier.GetProperty("nextTier").ValueKind == System.Text.Json.JsonValueKind.Null ? null : tier.GetProperty("nextTier").GetProperty("name").GetString());
            var toNext = tier.GetProperty("progressNeededToUpgrade");
            Assert.Equal(nextThreshold - lifetime, toNext.ValueKind == System.Text.Json.JsonValueKind.Null ? null : toNext.GetInt64());
            Assert.Equal(lifetime, tier.GetProperty("progress").GetInt64());
        }
        return (commands.Count, commands);
    }

    private static string Describe(IReadOnlyList<string> commands) =>
        $"{commands.Count} SQL commands:\n" + string.Join("\n---\n", commands);

    [DbFact]
    public async Task A_page_of_members_with_balances_and_tiers_costs_the_same_few_commands_for_5_and_for_50_members()
    {
        var five = await MeasureAsync(await SeedAsync(5), 5);
        var fifty = await MeasureAsync(await SeedAsync(50), 50);

        Assert.True(fifty.Count == five.Count,
            $"The command count grows with the page size.\n5 members: {Describe(five.Commands)}\n\n50 members: {Describe(fifty.Commands)}");
        Assert.True(fifty.Count <= MaxCommandsPerRequest, $"More than {MaxCommandsPerRequest} commands for one page: {Describe(fifty.Commands)}");
    }
}

public sealed class DataLoaderBatchingTestsOnSqlite(SqliteFixture fixture) : DataLoaderBatchingTests(fixture), IClassFixture<SqliteFixture>;

public sealed class DataLoaderBatchingTestsOnPostgres(PostgresFixture fixture) : DataLoaderBatchingTests(fixture), IClassFixture<PostgresFixture>;
