namespace HeadlessLoyalty.Api.Jobs;

/// <summary>The <c>Jobs</c> configuration section.</summary>
public sealed class JobsOptions
{
    /// <summary>False: the scheduler does not start (jobs still run through runJob). Tests turn it off.</summary>
    public bool Enabled { get; set; } = true;

    public JobSchedule PendingApproval { get; set; } = new() { Interval = TimeSpan.FromMinutes(5) };

    public JobSchedule Birthdays { get; set; } = new() { Interval = TimeSpan.FromHours(1) };

    public JobSchedule Expiry { get; set; } = new() { Interval = TimeSpan.FromHours(1) };

    public JobSchedule Tiers { get; set; } = new() { Interval = TimeSpan.FromHours(1) };

    public JobSchedule CouponExpiry { get; set; } = new() { Interval = TimeSpan.FromHours(1) };

    public JobSchedule CheckoutDiscountExpiry { get; set; } = new() { Interval = TimeSpan.FromMinutes(10) };

    /// <summary>Daily: segment thresholds are whole days and the run reclassifies every member (see <see cref="LoyaltyJobs.Segments"/>).</summary>
    public JobSchedule Segments { get; set; } = new() { Interval = TimeSpan.FromDays(1) };

    public JobSchedule EventRetention { get; set; } = new() { Interval = TimeSpan.FromDays(1) };

    /// <summary>Hourly: a store's missed orders and webhooks heal within the hour.</summary>
    public JobSchedule StoreReconciliation { get; set; } = new() { Interval = TimeSpan.FromHours(1) };

    /// <summary>Every 5 minutes: an orphaned store coupon is usable by its member until the run deletes it.</summary>
    public JobSchedule StoreCouponRecovery { get; set; } = new() { Interval = TimeSpan.FromMinutes(5) };

    public JobSchedule For(LoyaltyJob job) => job.Name switch
    {
        "pending-approval" => PendingApproval,
        "birthdays" => Birthdays,
        "expiry" => Expiry,
        "tiers" => Tiers,
        "coupon-expiry" => CouponExpiry,
        "checkout-discount-expiry" => CheckoutDiscountExpiry,
        "segments" => Segments,
        "event-retention" => EventRetention,
        "store-reconciliation" => StoreReconciliation,
        "store-coupon-recovery" => StoreCouponRecovery,
        _ => throw new InvalidOperationException($"No schedule for job '{job.Name}'."),
    };
}

public sealed class JobSchedule
{
    /// <summary>How often the job runs (a TimeSpan, e.g. <c>00:05:00</c>), counted from the scheduler's start.</summary>
    public TimeSpan Interval { get; set; }
}
