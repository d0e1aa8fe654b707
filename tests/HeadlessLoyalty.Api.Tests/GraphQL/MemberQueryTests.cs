using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>member(by:), members paging/filters/orders, history paging and filters, DateTime format.</summary>
public abstract partial class MemberQueryTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")]
    private static partial Regex UtcDateTime();

    private sealed record Roster(string Slug, IReadOnlyList<MemberView> Members, IReadOnlyList<Guid> TierIds)
    {
        public IEnumerable<string> Emails(IEnumerable<int> indexes) => indexes.Select(i => Members[i].Email);
    }

    /// <summary>
    /// 7 members enrolled a minute apart, emails not in enrollment order; members 2 and 5 blocked; lifetime points
    /// 0, 100, 200... so tiers (Base 0, Silver 250, Gold 500) hold 0-2, 3-4, 5-6.
    /// </summary>
    private async Task<Roster> SeedRosterAsync()
    {
        var slug = NewSlug("mq");
        await _app.CreateProgramAsync(slug);
        var tiers = await _app.AddTiersAsync(slug, ("Base", 0), ("Silver", 250), ("Gold", 500));
        string[] names = ["kim", "Zed.Alpha", "abe", "mona", "zed.beta", "bob", "lou"];
        var members = new List<MemberView>();
        for (var i = 0; i < names.Length; i++)
        {
            _app.Clock.Advance(TimeSpan.FromMinutes(1));
            var member = await _app.EnrollAsync(slug, $"{names[i]}@{slug}.example.com", $"N{i}");
            if (i > 0)
                await _app.AdjustAsync(slug, member.Id, 100 * i);
            members.Add(member);
        }
        foreach (var i in new[] { 2, 5 })
            await _app.WithTenantAsync(slug, db => MemberOperations.BlockAsync(db, _app.Clock, "test:seed", members[i].Id));
        return new Roster(slug, members, [.. tiers.Select(t => t.Id)]);
    }

    private HttpClient Admin(string slug) => _app.CreateClient(_app.MintToken(slug, Roles.Admin));

    private const string MembersQuery = """
        query($first: Int, $after: String, $last: Int, $before: String, $filter: MemberFilterInput, $order: MemberOrder) {
          members(first: $first, after: $after, last: $last, before: $before, filter: $filter, order: $order) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id email } }
            nodes { email }
          }
        }
        """;

    private sealed record Page(int TotalCount, bool HasNext, bool HasPrevious, string? StartCursor, string? EndCursor, IReadOnlyList<string> Emails);

    private static async Task<Page> MembersAsync(HttpClient client, object variables)
    {
        using var result = await client.PostGraphQLAsync(MembersQuery, variables);
        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        var members = result.Data.GetProperty("members");
        var info = members.GetProperty("pageInfo");
        var edges = members.GetProperty("edges").EnumerateArray().ToList();
        var nodes = members.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("email").GetString()!).ToList();
        Assert.Equal(nodes, edges.Select(e => e.GetProperty("node").GetProperty("email").GetString()));
        return new Page(members.GetProperty("totalCount").GetInt32(), info.GetProperty("hasNextPage").GetBoolean(), info.GetProperty("hasPreviousPage").GetBoolean(),
            info.GetProperty("startCursor").GetString(), info.GetProperty("endCursor").GetString(), nodes);
    }

    [DbTheory]
    [InlineData("{}")]
    [InlineData("{ email: \"a@example.com\", number: 1 }")]
    [InlineData("{ code: \"ABC\", number: 2 }")]
    public async Task A_lookup_with_zero_or_several_fields_is_INVALID_INPUT(string by)
    {
        var roster = await SeedRosterAsync();
        using var client = Admin(roster.Slug);

        using var result = await client.PostGraphQLAsync($"{{ member(by: {by}) {{ id }} }}");

        Assert.True(result.Status == HttpStatusCode.OK, result.ToString());
        Assert.Equal(["INVALID_INPUT"], result.ErrorCodes);
        Assert.Equal(JsonValueKind.Null, result.Data.GetProperty("member").ValueKind);
    }

    [DbFact]
    public async Task A_lookup_by_each_field_finds_the_same_member()
    {
        var roster = await SeedRosterAsync();
        var target = roster.Members[3];
        using var client = Admin(roster.Slug);

        foreach (var by in new object[] { new { id = MemberId(target.Id) }, new { email = target.Email.ToUpperInvariant() }, new { code = target.MemberCode.ToLowerInvariant() }, new { number = target.MemberNumber } })
        {
            using var result = await client.PostGraphQLAsync("query($by: MemberLookupInput!) { member(by: $by) { id email memberNumber } }", new { by });
            Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
            Assert.Equal(MemberId(target.Id), result.Data.GetProperty("member").GetProperty("id").GetString());
        }
    }

    [DbTheory]
    [InlineData("@@not-an-id")]
    [InlineData("VGllcjoxMjM")] // "Tier:123": a global id of another type
    [InlineData("TWVtYmVyOm5vdC1hLWd1aWQ")] // "Member:not-a-guid"
    public async Task A_malformed_or_foreign_type_id_in_a_query_is_INVALID_ID(string id)
    {
        var roster = await SeedRosterAsync();
        using var client = Admin(roster.Slug);

        using var result = await client.PostGraphQLAsync("query($id: ID!) { member(by: { id: $id }) { id } }", new { id });

        Assert.Equal(["INVALID_ID"], result.ErrorCodes);
        Assert.Equal(JsonValueKind.Null, result.Data.GetProperty("member").ValueKind);
    }

    [DbFact]
    public async Task Members_page_forward_with_first_and_after_and_back_with_last_and_before()
    {
        var roster = await SeedRosterAsync();
        using var client = Admin(roster.Slug);

        var first = await MembersAsync(client, new { first = 3 });
        var second = await MembersAsync(client, new { first = 3, after = first.EndCursor });
        var third = await MembersAsync(client, new { first = 3, after = second.EndCursor });
        var last = await MembersAsync(client, new { last = 2 });
        var beforeLast = await MembersAsync(client, new { last = 2, before = last.StartCursor });

        Assert.Equal(roster.Emails([0, 1, 2]), first.Emails);
        Assert.Equal((7, true, false), (first.TotalCount, first.HasNext, first.HasPrevious));
        Assert.Equal(roster.Emails([3, 4, 5]), second.Emails);
        Assert.True(second.HasNext);
        Assert.Equal(roster.Emails([6]), third.Emails);
        Assert.Equal((7, false), (third.TotalCount, third.HasNext));
        Assert.Equal(roster.Emails([5, 6]), last.Emails);
        Assert.Equal((false, true), (last.HasNext, last.HasPrevious));
        Assert.Equal(roster.Emails([3, 4]), beforeLast.Emails);
        Assert.Equal(7, beforeLast.TotalCount);
    }

    private static void AssertPage(int totalCount, IEnumerable<string> emails, Page page)
    {
        Assert.Equal(emails, page.Emails);
        Assert.Equal(totalCount, page.TotalCount);
    }

    [DbFact]
    public async Task Members_filter_by_status_email_part_and_tier()
    {
        var roster = await SeedRosterAsync();
        using var client = Admin(roster.Slug);

        var blocked = await MembersAsync(client, new { first = 10, filter = new { status = "BLOCKED" } });
        var active = await MembersAsync(client, new { first = 10, filter = new { status = "ACTIVE" } });
        var zed = await MembersAsync(client, new { first = 10, filter = new { emailContains = "ZED." } });
        var silver = await MembersAsync(client, new { first = 10, filter = new { tierId = TierId(roster.TierIds[1]) } });
        var goldAndActive = await MembersAsync(client, new { first = 10, filter = new { tierId = TierId(roster.TierIds[2]), status = "ACTIVE" } });

        AssertPage(2, roster.Emails([2, 5]), blocked);
        AssertPage(5, roster.Emails([0, 1, 3, 4, 6]), active);
        AssertPage(2, roster.Emails([1, 4]), zed);
        AssertPage(2, roster.Emails([3, 4]), silver);
        AssertPage(1, roster.Emails([6]), goldAndActive);
    }

    [DbTheory]
    [InlineData("MEMBER_NUMBER_ASC")]
    [InlineData("MEMBER_NUMBER_DESC")]
    [InlineData("ENROLLED_AT_ASC")]
    [InlineData("ENROLLED_AT_DESC")]
    [InlineData("EMAIL_ASC")]
    [InlineData("EMAIL_DESC")]
    public async Task Members_come_in_each_order_and_page_in_it(string order)
    {
        var roster = await SeedRosterAsync();
        using var client = Admin(roster.Slug);
        IEnumerable<MemberView> expected = order switch
        {
            "MEMBER_NUMBER_ASC" => roster.Members.OrderBy(m => m.MemberNumber),
            "MEMBER_NUMBER_DESC" => roster.Members.OrderByDescending(m => m.MemberNumber),
            "ENROLLED_AT_ASC" => roster.Members.OrderBy(m => m.EnrolledAt),
            "ENROLLED_AT_DESC" => roster.Members.OrderByDescending(m => m.EnrolledAt),
            "EMAIL_ASC" => roster.Members.OrderBy(m => m.Email.ToLowerInvariant(), StringComparer.Ordinal),
            _ => roster.Members.OrderByDescending(m => m.Email.ToLowerInvariant(), StringComparer.Ordinal),
        };

        var page1 = await MembersAsync(client, new { first = 4, order });
        var page2 = await MembersAsync(client, new { first = 4, after = page1.EndCursor, order });

        Assert.Equal(expected.Select(m => m.Email), page1.Emails.Concat(page2.Emails));
    }

    [DbFact]
    public async Task The_default_order_is_member_number_ascending()
    {
        var roster = await SeedRosterAsync();
        using var client = Admin(roster.Slug);

        var page = await MembersAsync(client, new { first = 10 });

        Assert.Equal(roster.Members.OrderBy(m => m.MemberNumber).Select(m => m.Email), page.Emails);
    }

    /// <summary>Six entries a day apart (occurred on days 1..6 after the epoch): earn, bonus, adjust, earn, redeem, earn.</summary>
    private async Task<(string Slug, MemberView Member, IReadOnlyList<(Guid Id, string Kind, DateTimeOffset At)> Entries)> SeedHistoryAsync()
    {
        var slug = NewSlug("hist");
        await _app.CreateProgramAsync(slug);
        var member = await _app.EnrollAsync(slug, $"hist@{slug}.example.com");
        var entries = new List<(Guid, string, DateTimeOffset)>();
        (LedgerEntryKind Kind, long Points)[] plan =
            [(LedgerEntryKind.Earn, 100), (LedgerEntryKind.Bonus, 50), (LedgerEntryKind.Adjustment, 10), (LedgerEntryKind.Earn, 30), (LedgerEntryKind.Redeem, -40), (LedgerEntryKind.Earn, 5)];
        foreach (var (kind, points) in plan)
        {
            _app.Clock.Advance(TimeSpan.FromDays(1));
            var at = _app.Clock.GetUtcNow();
            var entry = kind == LedgerEntryKind.Adjustment
                ? (await _app.AdjustAsync(slug, member.Id, points)).Entry
                : (await _app.PostAsync(slug, new PostPointsInput(member.Id, kind, points, kind == LedgerEntryKind.Redeem ? "reward" : null, OccurredAt: at))).Entry;
            entries.Add((entry.Id, kind.ToString().ToUpperInvariant(), at));
        }
        return (slug, member, entries);
    }

    private const string HistoryQuery = """
        query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $filter: HistoryFilterInput) {
          member(by: { id: $id }) {
            history(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
              totalCount
              pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
              nodes { id kind points occurredAt recordedAt }
            }
          }
        }
        """;

    private static async Task<(int Total, bool HasNext, string? EndCursor, string? StartCursor, IReadOnlyList<string> Ids)> HistoryAsync(HttpClient client, object variables)
    {
        using var result = await client.PostGraphQLAsync(HistoryQuery, variables);
        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        var history = result.Data.GetProperty("member").GetProperty("history");
        var info = history.GetProperty("pageInfo");
        return (history.GetProperty("totalCount").GetInt32(), info.GetProperty("hasNextPage").GetBoolean(), info.GetProperty("endCursor").GetString(),
            info.GetProperty("startCursor").GetString(), [.. history.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!)]);
    }

    [DbFact]
    public async Task History_pages_newest_first()
    {
        var (slug, member, entries) = await SeedHistoryAsync();
        using var client = Admin(slug);
        var id = MemberId(member.Id);
        var newestFirst = entries.Reverse().Select(e => EntryId(e.Id)).ToList();

        var page1 = await HistoryAsync(client, new { id, first = 4 });
        var page2 = await HistoryAsync(client, new { id, first = 4, after = page1.EndCursor });
        var oldest = await HistoryAsync(client, new { id, last = 2 });
        var beforeOldest = await HistoryAsync(client, new { id, last = 2, before = oldest.StartCursor });

        Assert.Equal((6, true), (page1.Total, page1.HasNext));
        Assert.Equal(newestFirst[..4], page1.Ids);
        Assert.Equal((6, false), (page2.Total, page2.HasNext));
        Assert.Equal(newestFirst[4..], page2.Ids);
        Assert.Equal(newestFirst[4..], oldest.Ids);
        Assert.Equal(newestFirst[2..4], beforeOldest.Ids);
    }

    [DbFact]
    public async Task History_filters_by_kinds_and_by_date_range()
    {
        var (slug, member, entries) = await SeedHistoryAsync();
        using var client = Admin(slug);
        var id = MemberId(member.Id);
        string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");

        var earns = await HistoryAsync(client, new { id, first = 10, filter = new { kinds = new[] { "EARN" } } });
        var earnsAndRedeems = await HistoryAsync(client, new { id, first = 10, filter = new { kinds = new[] { "EARN", "REDEEM" } } });
        // Bounds an hour off the entries, so inclusive and exclusive ends give the same answer: days 2..4.
        var hour = TimeSpan.FromHours(1);
        var middle = await HistoryAsync(client, new { id, first = 10, filter = new { from = Iso(entries[1].At - hour), to = Iso(entries[3].At + hour) } });
        var earnsFromDay3 = await HistoryAsync(client, new { id, first = 10, filter = new { kinds = new[] { "EARN" }, from = Iso(entries[2].At - hour) } });

        IReadOnlyList<string> Ids(params int[] indexes) => [.. indexes.Select(i => EntryId(entries[i].Id))];
        Assert.Equal(3, earns.Total);
        Assert.Equal(Ids(5, 3, 0), earns.Ids);
        Assert.Equal(4, earnsAndRedeems.Total);
        Assert.Equal(Ids(5, 4, 3, 0), earnsAndRedeems.Ids);
        Assert.Equal(Ids(3, 2, 1), middle.Ids);
        Assert.Equal(Ids(5, 3), earnsFromDay3.Ids);
    }

    [DbFact]
    public async Task DateTime_values_are_UTC_ISO_8601_ending_in_Z()
    {
        var (slug, member, _) = await SeedHistoryAsync();
        using var client = Admin(slug);

        using var result = await client.PostGraphQLAsync(
            "query($id: ID!) { member(by: { id: $id }) { enrolledAt updatedAt balance { lastUpdatedAt } history(first: 10) { nodes { occurredAt recordedAt } } } }",
            new { id = MemberId(member.Id) });

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        var m = result.Data.GetProperty("member");
        var values = new List<string?> { m.GetProperty("enrolledAt").GetString(), m.GetProperty("updatedAt").GetString(), m.GetProperty("balance").GetProperty("lastUpdatedAt").GetString() };
        foreach (var node in m.GetProperty("history").GetProperty("nodes").EnumerateArray())
            values.AddRange([node.GetProperty("occurredAt").GetString(), node.GetProperty("recordedAt").GetString()]);
        Assert.Equal(15, values.Count);
        Assert.All(values, v => Assert.Matches(UtcDateTime(), v!));
        Assert.Equal(member.EnrolledAt, DateTimeOffset.Parse(values[0]!));
    }
}

public sealed class MemberQueryTestsOnSqlite(SqliteFixture fixture) : MemberQueryTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MemberQueryTestsOnPostgres(PostgresFixture fixture) : MemberQueryTests(fixture), IClassFixture<PostgresFixture>;
