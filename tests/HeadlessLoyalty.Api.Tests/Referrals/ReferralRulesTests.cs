using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Referrals;

namespace HeadlessLoyalty.Api.Tests.Referrals;

public sealed class ReferralRulesTests
{
    private static readonly Guid RewardId = Guid.NewGuid();

    private static string Refused(ReferralSettings s) => Assert.Throws<InvalidInputException>(() => ReferralRules.Validate(s)).Field!;

    [Fact]
    public void Valid_settings_come_back_with_the_base_url_trimmed_and_a_blank_one_as_none()
    {
        var s = new ReferralSettings(true, "  https://shop.example/?ref=  ", ReferralRewardKind.Points, 100, null, ReferralRewardKind.Coupon, 0, RewardId, 25m);

        Assert.Equal(s with { BaseUrl = "https://shop.example/?ref=" }, ReferralRules.Validate(s));
        Assert.Null(ReferralRules.Validate(s with { BaseUrl = "   " }).BaseUrl);
        Assert.Equal(ReferralSettings.Default, ReferralRules.Validate(ReferralSettings.Default));
    }

    [Theory]
    [InlineData("ftp://shop.example/")]
    [InlineData("/relative/path")]
    [InlineData("https://shop example/")]
    [InlineData("not a url")]
    public void A_base_url_must_be_an_absolute_http_url(string url) =>
        Assert.Equal("baseUrl", Refused(ReferralSettings.Default with { BaseUrl = url }));

    [Fact]
    public void A_base_url_longer_than_500_characters_is_refused() =>
        Assert.Equal("baseUrl", Refused(ReferralSettings.Default with { BaseUrl = "https://shop.example/" + new string('a', 480) }));

    [Fact]
    public void Each_reward_kind_takes_exactly_what_it_gives()
    {
        var d = ReferralSettings.Default;
        Assert.Equal("referrerPoints", Refused(d with { ReferrerRewardKind = ReferralRewardKind.Points, ReferrerPoints = 0 }));
        Assert.Equal("referrerPoints", Refused(d with { ReferrerRewardKind = ReferralRewardKind.Points, ReferrerPoints = Ledger.MaxPointsPerEntry + 1 }));
        Assert.Equal("referrerRewardId", Refused(d with { ReferrerRewardKind = ReferralRewardKind.Points, ReferrerPoints = 5, ReferrerRewardId = RewardId }));
        Assert.Equal("referrerRewardId", Refused(d with { ReferrerRewardKind = ReferralRewardKind.Coupon }));
        Assert.Equal("referrerPoints", Refused(d with { ReferrerRewardKind = ReferralRewardKind.Coupon, ReferrerRewardId = RewardId, ReferrerPoints = 5 }));
        Assert.Equal("friendPoints", Refused(d with { FriendPoints = 5 }));
        Assert.Equal("friendRewardId", Refused(d with { FriendRewardId = RewardId }));
        Assert.Equal("friendPoints", Refused(d with { FriendRewardKind = ReferralRewardKind.Points, FriendPoints = -1 }));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(0.00001)]
    public void The_minimum_purchase_amount_is_not_negative_and_has_at_most_4_decimals(decimal min) =>
        Assert.Equal("minPurchaseAmount", Refused(ReferralSettings.Default with { MinPurchaseAmount = min }));

    [Fact]
    public void The_share_link_is_the_base_url_and_the_code_or_none()
    {
        Assert.Equal("https://shop.example/?ref=ABCD2345", ReferralRules.ReferralUrl("https://shop.example/?ref=", "ABCD2345"));
        Assert.Null(ReferralRules.ReferralUrl(null, "ABCD2345"));
        Assert.Null(ReferralRules.ReferralUrl("https://shop.example/r/", null));
    }

    [Theory]
    [InlineData(true, 0, 50, 0, true)]
    [InlineData(true, 50, 50, 0, true)]       // exactly the minimum
    [InlineData(true, 50, 49.99, 0, false)]
    [InlineData(true, 50, 80, 40, false)]     // what was kept (40) is below the minimum
    [InlineData(true, 0, 80, 80, false)]      // fully refunded
    [InlineData(true, 0, 0, 0, false)]        // an order of nothing
    [InlineData(false, 0, 500, 0, false)]     // referrals off
    public void A_purchase_qualifies_by_what_was_kept_after_refunds(bool enabled, decimal min, decimal amount, decimal refunded, bool qualifies) =>
        Assert.Equal(qualifies, ReferralRules.Qualifies(new ReferralSettings(enabled, MinPurchaseAmount: min), amount, refunded));

    [Theory]
    [InlineData("alice@example.com", "ALICE@example.com ", true)]
    [InlineData("alice+friend@example.com", "alice@example.com", true)]
    [InlineData("a.lice@gmail.com", "alice@googlemail.com", true)]
    [InlineData("Al.Ice+ref@GMAIL.com", "alice@gmail.com", true)]
    [InlineData("a.lice@example.com", "alice@example.com", false)] // dots matter outside Gmail
    [InlineData("alice@example.com", "alice@example.org", false)]
    [InlineData("bob@example.com", "alice@example.com", false)]
    public void A_self_referral_is_the_same_mailbox(string friend, string referrer, bool same) =>
        Assert.Equal(same, ReferralRules.IsSelfReferral(friend, referrer));

    [Fact]
    public void Settings_input_keeps_what_is_left_out_and_drops_what_an_old_kind_used()
    {
        var current = new ReferralSettings(true, "https://shop.example/?ref=", ReferralRewardKind.Points, 100, null, ReferralRewardKind.Coupon, 0, RewardId, 10m);

        Assert.Equal(current, new ReferralSettingsArgs().ApplyTo(current));
        Assert.Equal(current with { ReferrerPoints = 150 }, new ReferralSettingsArgs { ReferrerPoints = 150 }.ApplyTo(current));
        Assert.Equal(current with { FriendRewardKind = ReferralRewardKind.Points, FriendRewardId = null },
            new ReferralSettingsArgs { FriendRewardKind = ReferralRewardKind.Points }.ApplyTo(current)); // then refused: points are missing
        Assert.Equal(current with { BaseUrl = "" }, new ReferralSettingsArgs { BaseUrl = "" }.ApplyTo(current)); // validated to none
        Assert.Equal(current with { ReferrerRewardKind = ReferralRewardKind.None, ReferrerPoints = 0 },
            new ReferralSettingsArgs { ReferrerRewardKind = ReferralRewardKind.None }.ApplyTo(current));
    }
}
