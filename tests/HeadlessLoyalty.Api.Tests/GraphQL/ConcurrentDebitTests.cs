using System.Net;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>
/// 50 concurrent -1 debits through the HTTP endpoint against a balance of 10: exactly 10 succeed, 40 are refused, and
/// the balance never goes below zero. PostgreSQL only: that is where concurrent writers really interleave.
/// </summary>
public sealed class ConcurrentDebitTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private const string Adjust =
        "mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { entry { id } balance { approved } userErrors { code } } }";

    [DbFact]
    public async Task Fifty_concurrent_debits_of_one_point_against_ten_points_give_ten_successes_and_forty_refusals()
    {
        var app = fixture.Factory;
        var slug = NewSlug("race");
        await app.CreateProgramAsync(slug);
        var member = await app.EnrollAsync(slug, "racer@example.com");
        await app.AdjustAsync(slug, member.Id, 10);
        using var client = app.CreateClient(app.MintToken(slug, Roles.Service));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            await Task.Yield();
            using var result = await client.PostGraphQLAsync(Adjust,
                new { input = new { memberId = MemberId(member.Id), points = -1L, reason = "race", idempotencyKey = $"race-{i}" } });
            Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
            return (Codes: result.UserErrorCodes("adjustPoints"), Text: result.Text);
        }));

        var outcomes = results.GroupBy(r => string.Join(",", r.Codes)).ToDictionary(g => g.Key, g => g.Count());
        var summary = string.Join("; ", outcomes.Select(o => $"[{o.Key}] x{o.Value}"));
        Assert.True(outcomes.GetValueOrDefault("") == 10, $"successes: {summary}");
        Assert.True(outcomes.GetValueOrDefault("INSUFFICIENT_POINTS") == 40, $"refusals: {summary}");

        var (approved, sum, debits) = await app.WithTenantAsync(slug, async db =>
        {
            var balance = await db.Balances.AsNoTracking().SingleAsync(b => b.MemberId == member.Id);
            var points = await db.LedgerEntries.AsNoTracking().Where(e => e.MemberId == member.Id).Select(e => e.Points).ToListAsync();
            return (balance.Approved, points.Sum(), points.Count(p => p < 0));
        });
        Assert.Equal(0, approved);
        Assert.Equal(approved, sum);
        Assert.Equal(10, debits);
    }
}
