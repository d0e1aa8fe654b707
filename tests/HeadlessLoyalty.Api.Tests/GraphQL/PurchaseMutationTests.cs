using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>Purchases and earning rules through GraphQL over HTTP, as a POS, a sync service and a storefront use them.</summary>
public abstract class PurchaseMutationTests(DatabaseFixture fixture)
{
    private const string Record = """
        mutation($input: RecordPurchaseInput!) {
          recordPurchase(input: $input) {
            purchase { id memberId channel storeId orderReference amount currency status pointsEarned welcomeBonus approvalDueAt pointsApprovedAt }
            balance { approved pending }
            replayed
            userErrors { code field }
          }
        }
        """;

    private const string Reverse = """
        mutation($input: ReversePurchaseInput!) {
          reversePurchase(input: $input) { purchase { refundedAmount pointsReversed } balance { approved } pointsTakenBack userErrors { code field } }
        }
        """;

    private readonly LoyaltyApiFactory _app = fixture.Factory;

    [DbFact]
    public async Task A_pos_records_a_purchase_a_retry_changes_nothing_and_a_refund_takes_the_points_back()
    {
        var slug = NewSlug("pm");
        await _app.CreateProgramAsync(slug, currency: "EUR");
        var member = await _app.EnrollAsync(slug, "shopper@example.com", "Sho", "Pper");
        using var admin = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        using var pos = _app.CreateClient(_app.MintToken(slug, Roles.Pos));
        using var storefront = _app.CreateClient(_app.MintToken(slug, Roles.Storefront, member.Id));

        var rules = await admin.MutateInputAsync("mutation($input: EarningRulesInput!) { updateEarningRules(input: $input) { earningRules { pointsPerCurrencyUnit rounding welcomeBonusPoints pendingDays } userErrors { code field } } }",
            "updateEarningRules", new { pointsPerCurrencyUnit = 2, rounding = "UP", welcomeBonusPoints = 25 });
        var input = new { memberId = MemberId(member.Id), channel = "POS", storeId = "paris", orderReference = "T-100", amount = 12.30m, currency = "eur" };
        var first = await pos.MutateInputAsync(Record, "recordPurchase", input);
        var retry = await pos.MutateInputAsync(Record, "recordPurchase", input);
        var refund = await pos.MutateInputAsync(Reverse, "reversePurchase", new { channel = "POS", storeId = "paris", orderReference = "T-100", refundAmount = 6.15m, refundReference = "rf-1" });

        Assert.Empty(UserErrorsOf(rules));
        Assert.Equal("UP", rules.GetProperty("earningRules").GetProperty("rounding").GetString());
        Assert.Empty(UserErrorsOf(first));
        var purchase = first.GetProperty("purchase");
        Assert.Equal((25L, 25L, "EUR", "POS", "paris"), (purchase.GetProperty("pointsEarned").GetInt64(), purchase.GetProperty("welcomeBonus").GetInt64(),
            purchase.GetProperty("currency").GetString(), purchase.GetProperty("channel").GetString(), purchase.GetProperty("storeId").GetString())); // 24.6 -> 25
        Assert.Equal(50L, first.GetProperty("balance").GetProperty("approved").GetInt64());
        Assert.False(first.GetProperty("replayed").GetBoolean());
        Assert.True(retry.GetProperty("replayed").GetBoolean());
        Assert.Equal(purchase.GetProperty("id").GetString(), retry.GetProperty("purchase").GetProperty("id").GetString());
        Assert.Equal(50L, retry.GetProperty("balance").GetProperty("approved").GetInt64());
        Assert.Equal((13L, 37L), (refund.GetProperty("pointsTakenBack").GetInt64(), refund.GetProperty("balance").GetProperty("approved").GetInt64()));

        // The storefront reads its own purchases (one history across channels) and the entries they made.
        using var mine = await storefront.PostGraphQLAsync("{ me { purchases { totalCount nodes { orderReference refundedAmount pointsReversed } } history { nodes { kind points sourceReference } } } }");
        Assert.True(mine.Status == HttpStatusCode.OK && !mine.HasErrors, mine.ToString());
        var node = mine.Data.GetProperty("me").GetProperty("purchases").GetProperty("nodes")[0];
        Assert.Equal(("T-100", 6.15m, 13L), (node.GetProperty("orderReference").GetString(), node.GetProperty("refundedAmount").GetDecimal(), node.GetProperty("pointsReversed").GetInt64()));
        Assert.Equal(["BONUS:25", "EARN:25", "REVERSAL:-13"], mine.Data.GetProperty("me").GetProperty("history").GetProperty("nodes").EnumerateArray()
            .Select(e => $"{e.GetProperty("kind").GetString()}:{e.GetProperty("points").GetInt64()}").Order());
    }

    [DbFact]
    public async Task Refusals_are_user_errors_that_change_nothing()
    {
        var slug = NewSlug("pr");
        await _app.CreateProgramAsync(slug, currency: "USD");
        var member = await _app.EnrollAsync(slug, "refused@example.com", "Re", "Fused");
        using var admin = _app.CreateClient(_app.MintToken(slug, Roles.Admin));

        var rules = await admin.MutateInputAsync("mutation($input: EarningRulesInput!) { updateEarningRules(input: $input) { earningRules { pendingDays } userErrors { code field } } }",
            "updateEarningRules", new { pointsPerCurrencyUnit = 0, pendingDays = 5 });
        var currency = await admin.MutateInputAsync(Record, "recordPurchase", new { memberId = MemberId(member.Id), channel = "ONLINE", orderReference = "O-1", amount = 5, currency = "EUR" });
        var negative = await admin.MutateInputAsync(Record, "recordPurchase", new { memberId = MemberId(member.Id), channel = "ONLINE", orderReference = "O-1", amount = -5, currency = "USD" });
        var badId = await admin.MutateInputAsync(Record, "recordPurchase", new { memberId = "not-an-id", channel = "ONLINE", orderReference = "O-1", amount = 5, currency = "USD" });
        var unknown = await admin.MutateInputAsync(Reverse, "reversePurchase", new { channel = "ONLINE", orderReference = "O-1" });
        using var after = await admin.PostGraphQLAsync("query($id: ID!) { earningRules { pointsPerCurrencyUnit pendingDays } member(by: { id: $id }) { purchases { totalCount } balance { approved } } }",
            new { id = MemberId(member.Id) });

        Assert.Equal(["INVALID_INPUT:pointsPerCurrencyUnit"], UserErrorsOf(rules));
        Assert.Equal(JsonValueKind.Null, rules.GetProperty("earningRules").ValueKind);
        Assert.Equal(["CURRENCY_MISMATCH:currency"], UserErrorsOf(currency));
        Assert.Equal(["INVALID_INPUT:amount"], UserErrorsOf(negative));
        Assert.Equal("memberId", UserErrorsOf(badId).Single().Split(':')[1]);
        Assert.Equal(["PURCHASE_NOT_FOUND:orderReference"], UserErrorsOf(unknown));
        Assert.Equal((1m, 0), (after.Data.GetProperty("earningRules").GetProperty("pointsPerCurrencyUnit").GetDecimal(), after.Data.GetProperty("earningRules").GetProperty("pendingDays").GetInt32()));
        Assert.Equal(0, after.Data.GetProperty("member").GetProperty("purchases").GetProperty("totalCount").GetInt32());
        Assert.Equal(0L, after.Data.GetProperty("member").GetProperty("balance").GetProperty("approved").GetInt64());
    }

    [DbFact]
    public async Task Order_lines_are_kept_with_the_purchase_and_a_bad_line_is_a_user_error_that_records_nothing()
    {
        var slug = NewSlug("pl");
        await _app.CreateProgramAsync(slug, currency: "EUR");
        var member = await _app.EnrollAsync(slug, "lines@example.com", "Li", "Nes");
        using var pos = _app.CreateClient(_app.MintToken(slug, Roles.Pos));
        const string withLines = """
            mutation($input: RecordPurchaseInput!) {
              recordPurchase(input: $input) {
                purchase { orderReference pointsEarned lines { productId variantId sku name quantity unitPrice total } }
                userErrors { code field }
              }
            }
            """;

        var bad = await pos.MutateInputAsync(withLines, "recordPurchase", new
        {
            memberId = MemberId(member.Id), channel = "ONLINE", orderReference = "L-0", amount = 10m, currency = "EUR",
            lines = new object[] { new { sku = "A", quantity = 1, unitPrice = 5m }, new { sku = "B", quantity = 0, unitPrice = 5m } },
        });
        var nameless = await pos.MutateInputAsync(withLines, "recordPurchase", new
        {
            memberId = MemberId(member.Id), channel = "ONLINE", orderReference = "L-0", amount = 10m, currency = "EUR",
            lines = new object[] { new { quantity = 1, unitPrice = 5m } },
        });
        var good = await pos.MutateInputAsync(withLines, "recordPurchase", new
        {
            memberId = MemberId(member.Id), channel = "ONLINE", orderReference = "L-1", amount = 42.5m, currency = "EUR",
            lines = new object[]
            {
                new { productId = "p-1", variantId = "v-9", sku = " TSHIRT-M ", name = "T-shirt", quantity = 2, unitPrice = 12.25m },
                new { name = "Gift wrap", quantity = 1, unitPrice = 0m },
            },
        });
        var plain = await pos.MutateInputAsync(withLines, "recordPurchase", new { memberId = MemberId(member.Id), channel = "POS", orderReference = "L-2", amount = 3m, currency = "EUR" });

        Assert.Equal(["INVALID_INPUT:lines[1].quantity"], UserErrorsOf(bad));
        Assert.Equal(["INVALID_INPUT:lines[0]"], UserErrorsOf(nameless));
        Assert.Empty(UserErrorsOf(good));
        var lines = good.GetProperty("purchase").GetProperty("lines").EnumerateArray().Select(l => (
            l.GetProperty("productId").GetString(), l.GetProperty("variantId").GetString(), l.GetProperty("sku").GetString(), l.GetProperty("name").GetString(),
            l.GetProperty("quantity").GetInt32(), l.GetProperty("unitPrice").GetDecimal(), l.GetProperty("total").GetDecimal())).ToList();
        Assert.Equal([("p-1", "v-9", "TSHIRT-M", "T-shirt", 2, 12.25m, 24.5m), (null, null, null, "Gift wrap", 1, 0m, 0m)], lines);
        Assert.Equal(42L, good.GetProperty("purchase").GetProperty("pointsEarned").GetInt64()); // earned on the amount (42.5, rounded down), not the lines
        Assert.Equal(0, plain.GetProperty("purchase").GetProperty("lines").GetArrayLength());

        // Read back from the database (the JSON column), not from the mutation's in-memory answer.
        using var admin = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        using var history = await admin.PostGraphQLAsync("query($id: ID!) { member(by: { id: $id }) { purchases { nodes { orderReference lines { sku quantity unitPrice } } } } }", new { id = MemberId(member.Id) });
        Assert.True(history.Status == HttpStatusCode.OK && !history.HasErrors, history.ToString());
        var stored = history.Data.GetProperty("member").GetProperty("purchases").GetProperty("nodes").EnumerateArray()
            .ToDictionary(n => n.GetProperty("orderReference").GetString()!, n => n.GetProperty("lines"));
        Assert.Equal(["L-1", "L-2"], stored.Keys.Order());
        Assert.Equal(("TSHIRT-M", 2, 12.25m), (stored["L-1"][0].GetProperty("sku").GetString(), stored["L-1"][0].GetProperty("quantity").GetInt32(), stored["L-1"][0].GetProperty("unitPrice").GetDecimal()));
        Assert.Equal(2, stored["L-1"].GetArrayLength());
        Assert.Equal(0, stored["L-2"].GetArrayLength());
    }
}

public sealed class PurchaseMutationTestsOnSqlite(SqliteFixture fixture) : PurchaseMutationTests(fixture), IClassFixture<SqliteFixture>;
public sealed class PurchaseMutationTestsOnPostgres(PostgresFixture fixture) : PurchaseMutationTests(fixture), IClassFixture<PostgresFixture>;
