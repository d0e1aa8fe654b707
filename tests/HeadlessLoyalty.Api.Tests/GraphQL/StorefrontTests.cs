using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>A storefront token names one member: it sees that member and that member's ledger, nothing else.</summary>
public abstract class StorefrontTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private sealed record Shop(string Slug, MemberView Me, MemberView Other, IReadOnlyList<Guid> MyEntries, Guid OtherEntry);

    private async Task<Shop> SeedAsync()
    {
        var slug = NewSlug("shop");
        await _app.CreateProgramAsync(slug);
        var me = await _app.EnrollAsync(slug, $"me-{slug}@example.com", "Mia");
        var other = await _app.EnrollAsync(slug, $"other-{slug}@example.com", "Otto");
        var entries = new List<Guid>();
        entries.Add((await _app.AdjustAsync(slug, me.Id, 300, "welcome")).Entry.Id);
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        entries.Add((await _app.PostAsync(slug, new PostPointsInput(me.Id, LedgerEntryKind.Earn, 40, SourceReference: "order-1"))).Entry.Id);
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        entries.Add((await _app.PostAsync(slug, new PostPointsInput(me.Id, LedgerEntryKind.Redeem, -90, "reward"))).Entry.Id);
        var otherEntry = (await _app.AdjustAsync(slug, other.Id, 98_765, "other")).Entry.Id;
        return new Shop(slug, me, other, entries, otherEntry);
    }

    private HttpClient Storefront(Shop shop) => _app.CreateClient(_app.MintToken(shop.Slug, Roles.Storefront, shop.Me.Id));

    [DbFact]
    public async Task Me_is_the_member_the_token_names_with_balance_and_history()
    {
        var shop = await SeedAsync();
        using var client = Storefront(shop);

        using var result = await client.PostGraphQLAsync(
            "{ me { id email firstName memberNumber balance { approved pending total spent lifetime } history(first: 10) { totalCount nodes { id kind points } } } }");

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        var me = result.Data.GetProperty("me");
        Assert.Equal(MemberId(shop.Me.Id), me.GetProperty("id").GetString());
        Assert.Equal(shop.Me.Email, me.GetProperty("email").GetString());
        Assert.Equal(shop.Me.MemberNumber, me.GetProperty("memberNumber").GetInt64());
        var balance = me.GetProperty("balance");
        Assert.Equal((250L, 0L, 250L, 90L, 340L),
            (balance.GetProperty("approved").GetInt64(), balance.GetProperty("pending").GetInt64(), balance.GetProperty("total").GetInt64(),
             balance.GetProperty("spent").GetInt64(), balance.GetProperty("lifetime").GetInt64()));
        var history = me.GetProperty("history");
        Assert.Equal(3, history.GetProperty("totalCount").GetInt32());
        // Newest first.
        Assert.Equal(shop.MyEntries.Reverse().Select(EntryId), history.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal(["REDEEM", "EARN", "ADJUSTMENT"], history.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("kind").GetString()));
        Assert.DoesNotContain(shop.Other.Email, result.Text);
    }

    [DbFact]
    public async Task Node_gives_the_storefront_only_its_own_member_and_entries()
    {
        var shop = await SeedAsync();
        using var client = Storefront(shop);

        async Task<JsonElement> Node(string id)
        {
            using var result = await client.PostGraphQLAsync(
                "query($id: ID!) { node(id: $id) { __typename id ... on Member { email } ... on LedgerEntry { points } } }", new { id });
            Assert.True(result.Status == HttpStatusCode.OK, result.ToString());
            Assert.DoesNotContain(shop.Other.Email, result.Text);
            Assert.DoesNotContain("98765", result.Text);
            return result.Data.GetProperty("node").Clone();
        }

        var own = await Node(MemberId(shop.Me.Id));
        Assert.Equal(("Member", shop.Me.Email), (own.GetProperty("__typename").GetString(), own.GetProperty("email").GetString()));
        var ownEntry = await Node(EntryId(shop.MyEntries[1]));
        Assert.Equal(("LedgerEntry", 40L), (ownEntry.GetProperty("__typename").GetString(), ownEntry.GetProperty("points").GetInt64()));

        Assert.Equal(JsonValueKind.Null, (await Node(MemberId(shop.Other.Id))).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await Node(EntryId(shop.OtherEntry))).ValueKind);

        // An admin of the same program does see both: the nulls above are the storefront rule, not missing rows.
        using var admin = _app.CreateClient(_app.MintToken(shop.Slug, Roles.Admin));
        using var seen = await admin.PostGraphQLAsync("query($m: ID!, $e: ID!) { m: node(id: $m) { id } e: node(id: $e) { id } }",
            new { m = MemberId(shop.Other.Id), e = EntryId(shop.OtherEntry) });
        Assert.Equal(MemberId(shop.Other.Id), seen.Data.GetProperty("m").GetProperty("id").GetString());
        Assert.Equal(EntryId(shop.OtherEntry), seen.Data.GetProperty("e").GetProperty("id").GetString());
    }

    [DbTheory]
    [InlineData("query($id: ID!) { member(by: { id: $id }) { email } }")]
    [InlineData("{ members(first: 10) { nodes { email } } }")]
    public async Task A_storefront_cannot_look_members_up(string query)
    {
        var shop = await SeedAsync();
        using var client = Storefront(shop);

        using var result = await client.PostGraphQLAsync(query, query.Contains("$id") ? new { id = MemberId(shop.Other.Id) } : null);

        Assert.True(result.Status == HttpStatusCode.Forbidden, result.ToString());
        Assert.Contains("FORBIDDEN", result.ErrorCodes);
        Assert.DoesNotContain(shop.Other.Email, result.Text);
    }

    [DbFact]
    public async Task A_storefront_token_without_a_member_is_refused_with_401()
    {
        var shop = await SeedAsync();
        using var client = _app.CreateClient(_app.MintToken(shop.Slug, Roles.Storefront));

        using var result = await client.PostGraphQLAsync("{ me { id } tiers { id } }");

        Assert.True(result.Status == HttpStatusCode.Unauthorized, result.ToString());
        Assert.Equal(["INVALID_TOKEN"], result.ErrorCodes);
        Assert.False(result.Root.TryGetProperty("data", out _), result.ToString());
    }

    [DbFact]
    public async Task A_storefront_token_naming_a_member_of_another_program_or_no_member_is_refused_with_401()
    {
        var shop = await SeedAsync();
        var elsewhere = NewSlug("else");
        await _app.CreateProgramAsync(elsewhere);

        // The token is for `elsewhere` but names a member of `shop`; another names a member that does not exist.
        foreach (var token in new[] { _app.MintToken(elsewhere, Roles.Storefront, shop.Me.Id), _app.MintToken(shop.Slug, Roles.Storefront, Guid.NewGuid()) })
        {
            using var client = _app.CreateClient(token);
            using var result = await client.PostGraphQLAsync(
                "query($m: ID!) { me { id email } m: node(id: $m) { id } program { slug } }", new { m = MemberId(shop.Me.Id) });

            Assert.True(result.Status == HttpStatusCode.Unauthorized, result.ToString());
            Assert.Equal(["INVALID_TOKEN"], result.ErrorCodes);
            Assert.DoesNotContain(shop.Me.Email, result.Text);
        }

        // The same member's own token still works (the refusal is about the program, not the member).
        using var own = _app.CreateClient(_app.MintToken(shop.Slug, Roles.Storefront, shop.Me.Id));
        using var ok = await own.PostGraphQLAsync("{ me { email } }");
        Assert.Equal(shop.Me.Email, ok.Data.GetProperty("me").GetProperty("email").GetString());
    }
}

public sealed class StorefrontTestsOnSqlite(SqliteFixture fixture) : StorefrontTests(fixture), IClassFixture<SqliteFixture>;

public sealed class StorefrontTestsOnPostgres(PostgresFixture fixture) : StorefrontTests(fixture), IClassFixture<PostgresFixture>;
