using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Segments;
using HeadlessLoyalty.Api.Tests.TestSupport;

namespace HeadlessLoyalty.Api.Tests.Segments;

public sealed class SegmentTests
{
    private static readonly DateTimeOffset Now = new(2027, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, null, null)]              // never bought
    [InlineData(1, 10, null)]                // recent, not often enough
    [InlineData(3, 10, Segment.Loyal)]
    [InlineData(3, 89, Segment.Loyal)]
    [InlineData(5, 90, Segment.AtRisk)]      // idle wins over frequency
    [InlineData(0, 179, Segment.AtRisk)]
    [InlineData(0, 180, Segment.WinBack)]
    [InlineData(0, 900, Segment.WinBack)]
    public void Members_are_classified_by_recency_first_then_frequency(int inWindow, int? daysSinceLast, Segment? expected)
    {
        var activity = new PurchaseActivity(inWindow, daysSinceLast is { } d ? Now.AddDays(-d) : null);
        Assert.Equal(expected, SegmentRules.Classify(activity, Now, SegmentSettings.Default));
    }

    [Theory]
    [InlineData(0, 180, 90, 180, "loyalMinPurchases")]
    [InlineData(3, 0, 90, 180, "loyalWindowDays")]
    [InlineData(3, 180, 0, 180, "atRiskAfterDays")]
    [InlineData(3, 180, 90, 90, "winBackAfterDays")]
    [InlineData(3, 180, 90, 4000, "winBackAfterDays")]
    public void Invalid_thresholds_name_the_field(int min, int window, int atRisk, int winBack, string field)
    {
        var ex = Assert.Throws<InvalidInputException>(() => SegmentRules.Validate(new SegmentSettings(min, window, atRisk, winBack)));
        Assert.Equal(field, ex.Field);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Segments_come_from_the_purchases_of_each_member_and_full_refunds_do_not_count(string provider)
    {
        var clock = new FixedClock(Now);
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.ContextA();
        Guid Enroll(string email) => MemberOperations.EnrollAsync(ctx, clock, "t", new EnrollMemberInput(email)).GetAwaiter().GetResult().Member.Id;
        var loyal = Enroll("loyal@example.com");
        var atRisk = Enroll("risk@example.com");
        var winBack = Enroll("back@example.com");
        var refunded = Enroll("refunded@example.com");
        var never = Enroll("never@example.com");
        async Task BuyAsync(Guid member, string reference, int daysAgo) =>
            await PurchaseOperations.RecordAsync(ctx, clock, "t", new RecordPurchaseInput(member, PurchaseChannel.Online, "s", null, reference, 10m, null, "EUR", Now.AddDays(-daysAgo), PurchaseStatus.Completed));
        for (var i = 0; i < 3; i++)
            await BuyAsync(loyal, $"L{i}", 5 + i * 20);
        await BuyAsync(atRisk, "R1", 100);
        await BuyAsync(winBack, "W1", 400);
        await BuyAsync(refunded, "F1", 400);
        await BuyAsync(refunded, "F2", 3);
        await PurchaseOperations.ReverseAsync(ctx, clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "s", "F2", null, null, null));

        var segments = await SegmentOperations.SegmentsAsync(ctx, clock, [loyal, atRisk, winBack, refunded, never]);
        await SegmentOperations.UpdateSettingsAsync(ctx, clock, new SegmentSettings(LoyalMinPurchases: 4));
        var stricter = await SegmentOperations.SegmentsAsync(ctx, clock, [loyal]);

        Assert.Equal([Segment.Loyal, Segment.AtRisk, Segment.WinBack, Segment.WinBack, null],
            new[] { loyal, atRisk, winBack, refunded, never }.Select(id => segments[id]));
        Assert.Null(stricter[loyal]);
    }
}
