using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Referrals;

/// <summary>Members that did not enroll through enrollMember (the demo seed) get their referral codes when the server starts with a migration.</summary>
public sealed class ReferralStartupTests
{
    [Fact]
    public async Task The_demo_members_have_distinct_referral_codes_once_the_server_has_started()
    {
        await using var app = await LoyaltyApiFactory.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Seed:Demo"] = "true" });

        var (members, codes) = await app.WithTenantAsync(DemoSeed.Slug, async db =>
            (await db.Members.CountAsync(), await db.MemberReferrals.Select(r => r.Code).ToListAsync()));

        Assert.True(members > 0);
        Assert.Equal(members, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[2-9A-HJKMNP-Z]{8}$", c));
    }
}
