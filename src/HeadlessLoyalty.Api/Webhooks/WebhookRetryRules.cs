namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>The pure retry rules of the durable schedule (README, "Webhooks").</summary>
public static class WebhookRetryRules
{
    /// <summary>
    /// The wait after the <paramref name="consecutiveFailures"/>-th failed attempt in a row (1-based): the schedule's
    /// step for it (the last step once the schedule is used up), or the receiver's <c>Retry-After</c> when that is longer.
    /// </summary>
    public static TimeSpan NextDelay(IReadOnlyList<TimeSpan> schedule, int consecutiveFailures, TimeSpan? retryAfter)
    {
        if (schedule.Count == 0)
            throw new ArgumentException("The retry schedule needs at least one step.", nameof(schedule));
        var step = schedule[Math.Clamp(consecutiveFailures - 1, 0, schedule.Count - 1)];
        return retryAfter is { } asked && asked > step ? asked : step;
    }

    public static bool ShouldDisable(int consecutiveFailures, int disableAfterFailures) => consecutiveFailures >= Math.Max(1, disableAfterFailures);
}
