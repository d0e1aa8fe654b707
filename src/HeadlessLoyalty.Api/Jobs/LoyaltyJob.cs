using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Purchases;

namespace HeadlessLoyalty.Api.Jobs;

/// <summary>
/// A background job: the work it does for ONE program (the scope's tenant is that program), returning how many
/// items it changed. It must be idempotent: a rerun over the same data changes nothing and returns 0.
/// </summary>
public sealed record LoyaltyJob(string Name, string Description, Func<LoyaltyDbContext, TimeProvider, CancellationToken, Task<int>> RunForProgram);

/// <summary>The jobs of the engine. Each feature adds its own here, with a default schedule in <see cref="JobsOptions"/>.</summary>
public static class LoyaltyJobs
{
    public static readonly LoyaltyJob PendingApproval = new("pending-approval",
        "Approves the pending points of purchases whose return window has passed (a blocked member's stay pending).",
        (db, clock, ct) => PurchaseOperations.ApproveDueAsync(db, clock, ct));

    public static readonly IReadOnlyList<LoyaltyJob> All = [PendingApproval];

    public static LoyaltyJob? Find(string name) => All.FirstOrDefault(j => j.Name == name);
}
