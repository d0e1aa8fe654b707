using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>Rewards and redeemCoupon over HTTP: an admin defines, staff redeem on a member's behalf, a storefront redeems for itself.</summary>
public abstract class RewardMutationTests(DatabaseFixture fixture)
{
    private const string Redeem = """
        mutation($input: RedeemCouponInput!) {
          redeemCoupon(input: $input) { coupon { code kind value currency pointsSpent status expiresAt } balance { approved spent } userErrors { code field } }
        }
        """;

    private readonly LoyaltyApiFactory _app = fixture.Factory;

    [DbFact]
    public async Task Staff_redeem_by_member_code_and_a_storefront_redeems_for_its_own_member_only()
    {
        var slug = NewSlug("rw");
        await _app.CreateProgramAsync(slug, currency: "GBP");
        var ann = await _app.EnrollAsync(slug, "ann.rw@example.com", "Ann", "Rw");
        var bob = await _app.EnrollAsync(slug, "bob.rw@example.com", "Bob", "Rw");
        await _app.AdjustAsync(slug, ann.Id, 1_200);
        await _app.AdjustAsync(slug, bob.Id, 1_200);
        using var admin = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        using var pos = _app.CreateClient(_app.MintToken(slug, Roles.Pos));
        using var annStorefront = _app.CreateClient(_app.MintToken(slug, Roles.Storefront, ann.Id));

        var created = await admin.FieldAsync("mutation($input: RewardInput!) { createReward(input: $input) { reward { id name kind pointsCost value codePrefix validityDays } userErrors { code field } } }",
            "createReward", new { input = new { name = "£5 off", kind = "FIXED_AMOUNT_COUPON", pointsCost = 500, value = 5, codePrefix = "TILL", validityDays = 30 } });
        var rewardId = created.GetProperty("reward").GetProperty("id").GetString()!;
        var defaults = await admin.FieldAsync("mutation($input: RewardInput!) { createReward(input: $input) { reward { codePrefix validityDays enabled } userErrors { code field } } }",
            "createReward", new { input = new { name = "Ship", kind = "FREE_SHIPPING", pointsCost = 100, codePrefix = (string?)null, validityDays = (int?)null, enabled = (bool?)null } });
        var bad = await admin.FieldAsync("mutation($input: RewardInput!) { createReward(input: $input) { reward { id } userErrors { code field } } }",
            "createReward", new { input = new { name = "Nope", kind = "PERCENTAGE_COUPON", pointsCost = 10, value = 150 } });

        var atTill = await pos.FieldAsync(Redeem, "redeemCoupon", new { input = new { member = new { code = bob.MemberCode.ToLowerInvariant() }, rewardId, idempotencyKey = "till-1" } });
        var own = await annStorefront.FieldAsync(Redeem, "redeemCoupon", new { input = new { rewardId, idempotencyKey = "web-1" } });
        var someoneElse = await annStorefront.FieldAsync(Redeem, "redeemCoupon", new { input = new { member = new { email = bob.Email }, rewardId, idempotencyKey = "web-2" } });
        var tooPoor = await annStorefront.FieldAsync(Redeem, "redeemCoupon", new { input = new { rewardId, idempotencyKey = "web-3" } }); // 700 left
        var tooPoorAgain = await annStorefront.FieldAsync(Redeem, "redeemCoupon", new { input = new { rewardId, idempotencyKey = "web-4" } }); // 200 left

        Assert.Empty(UserErrorsOf(created));
        Assert.Empty(UserErrorsOf(defaults)); // explicit nulls mean the defaults
        Assert.Equal(("POINTS", 7, true), (defaults.GetProperty("reward").GetProperty("codePrefix").GetString(),
            defaults.GetProperty("reward").GetProperty("validityDays").GetInt32(), defaults.GetProperty("reward").GetProperty("enabled").GetBoolean()));
        Assert.Equal(["INVALID_INPUT:value"], UserErrorsOf(bad));
        Assert.Empty(UserErrorsOf(atTill));
        var coupon = atTill.GetProperty("coupon");
        Assert.Matches("^TILL-[A-Z2-9]{8}$", coupon.GetProperty("code").GetString());
        Assert.Equal(("FIXED_AMOUNT_COUPON", 5m, "GBP", 500L, "ISSUED"), (coupon.GetProperty("kind").GetString(), coupon.GetProperty("value").GetDecimal(),
            coupon.GetProperty("currency").GetString(), coupon.GetProperty("pointsSpent").GetInt64(), coupon.GetProperty("status").GetString()));
        Assert.Equal((700L, 500L), (atTill.GetProperty("balance").GetProperty("approved").GetInt64(), atTill.GetProperty("balance").GetProperty("spent").GetInt64()));
        Assert.Empty(UserErrorsOf(own));
        Assert.Equal(["MEMBER_NOT_FOUND:memberId"], UserErrorsOf(someoneElse));
        Assert.Empty(UserErrorsOf(tooPoor));
        Assert.Equal(["INSUFFICIENT_POINTS:points"], UserErrorsOf(tooPoorAgain));

        using var mine = await annStorefront.PostGraphQLAsync("{ me { balance { approved } coupons { totalCount nodes { code } } eligibleRewards { name } } rewards { name } }");
        Assert.True(mine.Status == HttpStatusCode.OK && !mine.HasErrors, mine.ToString());
        Assert.Equal(200L, mine.Data.GetProperty("me").GetProperty("balance").GetProperty("approved").GetInt64());
        Assert.Equal(2, mine.Data.GetProperty("me").GetProperty("coupons").GetProperty("totalCount").GetInt32());
        Assert.Equal(["Ship"], mine.Data.GetProperty("me").GetProperty("eligibleRewards").EnumerateArray().Select(r => r.GetProperty("name").GetString())); // 200 points afford the 100-point one
        Assert.Equal(["Ship", "£5 off"], mine.Data.GetProperty("rewards").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }
}

public sealed class RewardMutationTestsOnSqlite(SqliteFixture fixture) : RewardMutationTests(fixture), IClassFixture<SqliteFixture>;
public sealed class RewardMutationTestsOnPostgres(PostgresFixture fixture) : RewardMutationTests(fixture), IClassFixture<PostgresFixture>;
