using HeadlessLoyalty.Api.Birthdays;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Segments;
using HeadlessLoyalty.Api.Tiers;

namespace HeadlessLoyalty.Api.Jobs;

/// <summary>
/// A background job: the work it does for ONE program (the scope's tenant is that program), returning how many
/// items it changed. It must be idempotent: a rerun over the same data changes nothing and returns 0.
/// </summary>
/// <param name="RunWithServices">Used instead of <paramref name="RunForProgram"/> when set: for a job that needs the scope's services (store API clients).</param>
public sealed record LoyaltyJob(string Name, string Description, Func<LoyaltyDbContext, TimeProvider, CancellationToken, Task<int>> RunForProgram,
    Func<IServiceProvider, LoyaltyDbContext, TimeProvider, CancellationToken, Task<int>>? RunWithServices = null);

/// <summary>The jobs of the engine. Each feature adds its own here, with a default schedule in <see cref="JobsOptions"/>.</summary>
public static class LoyaltyJobs
{
    public static readonly LoyaltyJob PendingApproval = new("pending-approval",
        "Approves the pending points of purchases whose return window has passed (a blocked member's stay pending).",
        (db, clock, ct) => PurchaseOperations.ApproveDueAsync(db, clock, ct));

    /// <summary>Hourly by default: each program's local day starts at its own midnight, and a run within the hour after it greets that day's members (once: the run is idempotent per member and year).</summary>
    public static readonly LoyaltyJob Birthdays = new("birthdays",
        "Sends birthday.in_7_days a week ahead and, on the day in the program's time zone, the birthday reward and birthday.today (once per member and year).",
        (db, clock, ct) => BirthdayOperations.RunAsync(db, clock, ct));

    /// <summary>Hourly by default: lots lapse at the start of a day in the program's time zone, and the run after it expires them (once: an expired lot has nothing left).</summary>
    public static readonly LoyaltyJob Expiry = new("expiry",
        "Expires the points whose date has come or whose member has been inactive too long (expiryPolicy), then sends the 30, 7 and 3 day warnings (once per member, date and threshold).",
        (db, clock, ct) => ExpiryOperations.RunAsync(db, clock, ct));

    /// <summary>Hourly by default: periods end at a program's local midnight, and a run within the hour after applies the period-end policy; warnings are once per member, period and warning.</summary>
    public static readonly LoyaltyJob Tiers = new("tiers",
        "Applies the tier period-end policy to members whose tier period has ended (tier.achieved / tier.downgraded / tier.reset), upgrades members who qualify for more after a change of tiers or policy, and sends tier.reset_in_4_weeks / _2_weeks / _1_day to members whose tier would drop (once per member, period and warning).",
        (db, clock, ct) => TierEvaluation.RunAsync(db, clock, ct));

    /// <summary>Hourly by default: a coupon is unusable from its expiry on anyway (redemption checks the date); the run makes its status say so.</summary>
    public static readonly LoyaltyJob CouponExpiry = new("coupon-expiry",
        "Marks issued coupons whose validity has ended as expired (their points are not restored; staff may compensate).",
        (db, clock, ct) => RewardOperations.ExpireCouponsAsync(db, clock, ct));

    /// <summary>
    /// Daily by default: thresholds are whole days, and a run classifies every member of every program again (the
    /// costliest job), so a day's delay in announcing a change is the trade; <c>Member.segment</c> is exact when read.
    /// </summary>
    public static readonly LoyaltyJob Segments = new("segments",
        "Classifies every member again (Loyal / At Risk / Win Back, segmentRules), records each segment change and sends one member.updated per change (changedFields [\"segment\"], the segment before and after); a rerun sends nothing.",
        (db, clock, ct) => SegmentRefresh.RunAsync(db, clock, ct));

    /// <summary>Daily by default: retention is counted in days.</summary>
    public static readonly LoyaltyJob EventRetention = new("event-retention",
        "Deletes the program's logged events recorded more than Events:RetentionDays ago (default 30); a consumer whose cursor is older gets EVENTS_CURSOR_EXPIRED.",
        (db, clock, ct) => Events.EventRetention.RunAsync(db, clock, ct));

    /// <summary>Hourly by default: back-fills the orders connected stores changed since the last one seen and repairs their webhooks (see <see cref="Stores.Ingest.StoreReconciliation"/>).</summary>
    public static readonly LoyaltyJob StoreReconciliation = new(Stores.Ingest.StoreReconciliation.JobName,
        "For every live store connection: queues the orders the store changed since the last one seen (WooCommerce modified_after, Shopify updated_at) through the webhook inbox and its idempotency, re-creates missing webhooks and re-enables disabled WooCommerce ones.",
        (_, _, _) => throw new InvalidOperationException("store-reconciliation runs with services."),
        (sp, db, clock, ct) => sp.GetRequiredService<Stores.Ingest.StoreReconciliation>().RunForProgramAsync(db, clock, ct));

    /// <summary>Every 10 minutes by default: a checkout discount's points should come back soon after it ends (the store's couponValidityDays plus an hour).</summary>
    public static readonly LoyaltyJob CheckoutDiscountExpiry = new("checkout-discount-expiry",
        "Returns the points of checkout discounts (applyPointsAtCheckout) unused an hour after they ended: deletes each on its store, marks its coupon expired and credits the points back (once per discount).",
        (_, _, _) => throw new InvalidOperationException("checkout-discount-expiry runs with the scope's services."),
        (sp, _, _, ct) => sp.GetRequiredService<Stores.Checkout.CheckoutOperations>().ExpireAsync(ct));

    /// <summary>
    /// Every 5 minutes by default, with a 5-minute grace (<c>Stores:CouponRecoveryGrace</c>): a coupon left on a store by
    /// a redemption that never committed (a crash, a lost answer) is usable by its member until this run deletes it.
    /// </summary>
    public static readonly LoyaltyJob StoreCouponRecovery = new(StoreCouponJournal.JobName,
        "Deletes from the stores the coupons of redemptions that never committed (the process died or the store's answer was lost between the store call and the commit): every store coupon is journaled before the store is called, and a journal entry older than the grace names such a coupon.",
        (_, _, _) => throw new InvalidOperationException("store-coupon-recovery runs with the scope's services."),
        (sp, db, clock, ct) => StoreCouponJournal.RecoverAsync(db, clock, sp.GetService<IStoreCoupons>() ?? NoStoreCoupons.Instance,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Stores.StoresOptions>>().Value.CouponRecoveryGrace,
            sp.GetRequiredService<ILogger<LoyaltyJob>>(), ct));

    public static readonly IReadOnlyList<LoyaltyJob> All = [PendingApproval, Birthdays, Expiry, Tiers, CouponExpiry, Segments, EventRetention, StoreReconciliation, CheckoutDiscountExpiry, StoreCouponRecovery];

    public static LoyaltyJob? Find(string name) => All.FirstOrDefault(j => j.Name == name);
}
