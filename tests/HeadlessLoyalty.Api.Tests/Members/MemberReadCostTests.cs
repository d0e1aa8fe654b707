using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Tests.Members;

/// <summary>A single member's balance is the hottest read (checkout, POS): the member and its balance cost one query.</summary>
public abstract class MemberReadCostTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    [DbFact]
    public async Task A_member_looked_up_with_its_balance_costs_one_query_by_any_lookup()
    {
        var slug = $"cost-{Guid.NewGuid():N}"[..16];
        await _app.CreateProgramAsync(slug);
        var member = await _app.WithTenantAsync(slug, async db =>
        {
            var enrolled = await MemberOperations.EnrollAsync(db, _app.Clock, "test", new EnrollMemberInput("cost@example.com"));
            await PointsOperations.AdjustAsync(db, _app.Clock, "test", new AdjustPointsInput(enrolled.Member.Id, 321, "seed"), "seed");
            return enrolled.Member;
        });
        var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        await client.PostAsJsonAsync("/graphql", new { query = "{ program { slug } }" }); // warm the program cache

        foreach (var by in new object[]
                 {
                     new { id = GlobalId.Encode("Member", member.Id.ToString()) }, new { email = "COST@example.com" },
                     new { code = member.MemberCode }, new { number = member.MemberNumber },
                 })
        {
            _app.SqlCommands.Reset();
            var response = await client.PostAsJsonAsync("/graphql", new
            {
                query = "query($by: MemberLookupInput!) { member(by: $by) { email balance { approved total } } }",
                variables = new { by },
            });
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(321, json.GetProperty("data").GetProperty("member").GetProperty("balance").GetProperty("approved").GetInt64());
            Assert.DoesNotContain("ROW_NUMBER", _app.SqlCommands.Commands[0]); // a keyed join, not a ranking of every balance
            Assert.True(_app.SqlCommands.Count == 1, $"{_app.SqlCommands.Count} queries for {JsonSerializer.Serialize(by)}:\n{string.Join("\n---\n", _app.SqlCommands.Commands)}");
        }
    }

    [DbFact]
    public async Task A_selection_of_only_the_balance_skips_the_members_profile_columns_and_any_other_field_reads_them()
    {
        var slug = $"prj-{Guid.NewGuid():N}"[..16];
        await _app.CreateProgramAsync(slug);
        var member = await _app.WithTenantAsync(slug, async db =>
        {
            var enrolled = await MemberOperations.EnrollAsync(db, _app.Clock, "test", new EnrollMemberInput("lean@example.com", FirstName: "Lean"));
            await PointsOperations.AdjustAsync(db, _app.Clock, "test", new AdjustPointsInput(enrolled.Member.Id, 77, "seed"), "seed");
            return enrolled.Member;
        });
        var gid = GlobalId.Encode("Member", member.Id.ToString());
        var admin = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        var storefront = _app.CreateClient(_app.MintToken(slug, Roles.Storefront, memberId: member.Id));
        await admin.PostAsJsonAsync("/graphql", new { query = "{ program { slug } }" }); // warm the program cache
        await storefront.PostAsJsonAsync("/graphql", new { query = "{ me { id } }" }); // and the storefront member check

        async Task<(JsonElement Member, string Sql)> RunAsync(HttpClient client, string query)
        {
            _app.SqlCommands.Reset();
            var response = await client.PostAsJsonAsync("/graphql", query.Contains("$id") ? new { query, variables = (object?)new { id = gid } } : new { query, variables = (object?)null });
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(json.TryGetProperty("data", out var data), json.ToString());
            Assert.True(_app.SqlCommands.Count == 1, $"{_app.SqlCommands.Count} queries for {query}:\n{string.Join("\n---\n", _app.SqlCommands.Commands)}");
            return (data.GetProperty(data.EnumerateObject().First().Name), _app.SqlCommands.Commands[0]);
        }

        foreach (var (client, query) in new[]
                 {
                     (admin, "query($id: ID!) { member(by: { id: $id }) { balance { approved total } } }"),
                     (admin, "query($id: ID!) { member(by: { id: $id }) { id __typename ...B } } fragment B on Member { balance { approved } }"),
                     (admin, "query($id: ID!) { member(by: { id: $id }) { balance { approved } email @include(if: false) } }"),
                     (storefront, "{ me { balance { approved } } }"),
                 })
        {
            var (found, sql) = await RunAsync(client, query);
            Assert.Equal(77, found.GetProperty("balance").GetProperty("approved").GetInt64());
            if (found.TryGetProperty("id", out var id))
                Assert.Equal(gid, id.GetString());
            Assert.DoesNotContain("Email", sql, StringComparison.OrdinalIgnoreCase); // no profile column
        }

        foreach (var query in new[]
                 {
                     "query($id: ID!) { member(by: { id: $id }) { balance { approved } firstName } }",
                     "query($id: ID!) { member(by: { id: $id }) { balance { approved } ...P } } fragment P on Member { firstName }",
                     "query($id: ID!) { member(by: { id: $id }) { balance { approved } ... on Member { firstName } } }",
                 })
        {
            var (found, sql) = await RunAsync(admin, query);
            Assert.Equal(77, found.GetProperty("balance").GetProperty("approved").GetInt64());
            Assert.Equal("Lean", found.GetProperty("firstName").GetString());
            Assert.Contains("Email", sql, StringComparison.OrdinalIgnoreCase);
        }
    }

    [DbFact]
    public async Task The_compiled_member_reads_stay_in_the_callers_program_whichever_program_ran_them_first()
    {
        // The reads are compiled once per model; the program must stay a parameter of the SQL, not the first caller's.
        var slugA = $"rda-{Guid.NewGuid():N}"[..16];
        var slugB = $"rdb-{Guid.NewGuid():N}"[..16];
        await _app.CreateProgramAsync(slugA);
        await _app.CreateProgramAsync(slugB);
        Task<MemberView> EnrollAsync(string slug, long points) => _app.WithTenantAsync(slug, async db =>
        {
            var enrolled = await MemberOperations.EnrollAsync(db, _app.Clock, "test", new EnrollMemberInput("same@example.com"));
            await PointsOperations.AdjustAsync(db, _app.Clock, "test", new AdjustPointsInput(enrolled.Member.Id, points, "seed"), "seed");
            return enrolled.Member;
        });
        var a = await EnrollAsync(slugA, 10);
        var b = await EnrollAsync(slugB, 20);

        foreach (var (slug, own, other, points) in new[] { (slugA, a, b, 10L), (slugB, b, a, 20L), (slugA, a, b, 10L) })
        {
            await _app.WithTenantAsync(slug, async db =>
            {
                foreach (var found in new[]
                         {
                             await MemberQueries.FindWithBalanceByIdAsync(db, own.Id),
                             await MemberQueries.FindWithBalanceByEmailAsync(db, "same@example.com"),
                             await MemberQueries.FindWithBalanceByCodeAsync(db, own.MemberCode),
                             await MemberQueries.FindWithBalanceByNumberAsync(db, own.MemberNumber),
                         })
                {
                    Assert.Equal(own.Id, found?.Member?.Id);
                    Assert.Equal(points, found?.Balance?.Approved);
                }
                foreach (var found in new[]
                         {
                             await MemberQueries.FindWithBalanceByIdAsync(db, own.Id, withProfile: false),
                             await MemberQueries.FindWithBalanceByEmailAsync(db, "same@example.com", withProfile: false),
                             await MemberQueries.FindWithBalanceByCodeAsync(db, own.MemberCode, withProfile: false),
                             await MemberQueries.FindWithBalanceByNumberAsync(db, own.MemberNumber, withProfile: false),
                         })
                {
                    Assert.Equal(own.Id, found?.MemberId);
                    Assert.Null(found?.Member);
                    Assert.Equal(points, found?.Balance?.Approved);
                }
                Assert.Null(await MemberQueries.FindWithBalanceByIdAsync(db, other.Id, withProfile: false));
                Assert.Null(await MemberQueries.FindWithBalanceByEmailAsync(db, "nobody@example.com", withProfile: false));
                Assert.Null(await MemberQueries.FindWithBalanceByIdAsync(db, other.Id));
                Assert.Null(await MemberQueries.FindWithBalanceByCodeAsync(db, other.MemberCode));
                return 0;
            });
        }
    }
}

public sealed class MemberReadCostTestsOnSqlite(SqliteFixture fixture) : MemberReadCostTests(fixture), IClassFixture<SqliteFixture>;
public sealed class MemberReadCostTestsOnPostgres(PostgresFixture fixture) : MemberReadCostTests(fixture), IClassFixture<PostgresFixture>;
