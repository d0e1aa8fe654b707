using System.Runtime.CompilerServices;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Rewards;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace HeadlessLoyalty.Api.Points;

/// <summary>The program's cheapest enabled reward: what the balance must reach for the member to afford a first reward.</summary>
public sealed record CheapestReward(Guid Id, string Name, long Cost);

/// <summary>
/// points.eligible_for_reward: staged by <see cref="PointsOperations"/> whenever a change takes the approved balance
/// from below the cheapest enabled reward's cost to at least that cost, in the same transaction. Being stateless (a
/// comparison of the balance before and after one change), it fires once per crossing: a member who spends or loses
/// points, drops below and climbs back gets it again; one who stays above gets nothing more. A points discount costs
/// its minimum points. A reward made cheaper later does not notify members already above its new cost until their
/// balance crosses it.
/// </summary>
public static class RewardEligibility
{
    /// <summary>The pure rule: did the approved balance go from below <paramref name="cost"/> to at least it?</summary>
    public static bool Crossed(long approvedBefore, long approvedAfter, long cost) => approvedBefore < cost && approvedAfter >= cost;

    // The cheapest reward, read once per transaction attempt (a retried attempt has a new transaction, so re-reads).
    private static readonly ConditionalWeakTable<IDbContextTransaction, StrongBox<CheapestReward?>> PerTransaction = new();

    /// <summary>Stages the event when the change crossed the cost. Costs no query unless the approved balance went up.</summary>
    internal static async Task StageIfCrossedAsync(
        LoyaltyDbContext db, Member member, long approvedBefore, long approvedAfter, DateTimeOffset now, CancellationToken ct)
    {
        if (approvedAfter <= approvedBefore)
            return;
        if (await CheapestAsync(db, ct) is not { } cheapest || !Crossed(approvedBefore, approvedAfter, cheapest.Cost))
            return;
        DomainEvents.Stage(db, EventTypes.EligibleForReward, member.Id, new EligibleForRewardPayload(
            member.Id, member.Email, approvedAfter, cheapest.Id, cheapest.Name, cheapest.Cost), now, now);
    }

    private static async Task<CheapestReward?> CheapestAsync(LoyaltyDbContext db, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction;
        if (transaction is not null && PerTransaction.TryGetValue(transaction, out var cached))
            return cached.Value;
        var cheapest = await ReadCheapestAsync(db, ct);
        if (transaction is not null)
            PerTransaction.AddOrUpdate(transaction, new StrongBox<CheapestReward?>(cheapest));
        return cheapest;
    }

    /// <summary>The cheapest enabled reward, ties broken by name as the reward list orders them; null without one.</summary>
    public static async Task<CheapestReward?> ReadCheapestAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        (await db.Rewards.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct))
            .OrderBy(RewardRules.CheapestCost).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new CheapestReward(r.Id, r.Name, RewardRules.CheapestCost(r)))
            .FirstOrDefault();
}
