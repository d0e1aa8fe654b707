using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Tests.Rewards;

/// <summary>The redemption tests' starting point: a member enrolled with some approved points to spend.</summary>
internal static class RewardSeed
{
    public static async Task<Guid> MemberWithPointsAsync(LoyaltyDbContext ctx, TimeProvider clock, string email, long points)
    {
        var id = (await MemberOperations.EnrollAsync(ctx, clock, "t", new EnrollMemberInput(email))).Member.Id;
        if (points > 0)
            await PointsOperations.AdjustAsync(ctx, clock, "t", new AdjustPointsInput(id, points, "seed"), $"seed-{id}");
        return id;
    }
}
