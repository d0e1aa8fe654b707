namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section (outbound webhooks).</summary>
public sealed class WebhooksOptions
{
    /// <summary>
    /// Development only: allow loopback targets (127.0.0.0/8, ::1, localhost). Private, link-local and other
    /// internal addresses stay refused. Default false.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>False: no background dispatcher on this instance (another instance, or a test, runs <c>WebhookDispatcher.RunDueAsync</c>).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for due retries on its own; new events wake it at once. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits before the 2nd, 3rd... attempt of a failing event; empty (the default): <see cref="DefaultRetrySchedule"/>.
    /// Later attempts reuse the last step. A <c>Retry-After</c> longer than the step is honoured. (Empty by default
    /// because the configuration binder appends configured array items to an initialised array.)
    /// </summary>
    public TimeSpan[] RetrySchedule { get; set; } = [];

    /// <summary>1 min, 5 min, 30 min, 2 h, 6 h, 15 h: 23 h 36 min in all.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(6), TimeSpan.FromHours(15),
    ];

    /// <summary>The schedule in force.</summary>
    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule.Length > 0 ? RetrySchedule : DefaultRetrySchedule;

    /// <summary>The subscription is disabled after this many failed attempts in a row. Default 7: the first attempt and the six retries of the schedule.</summary>
    public int DisableAfterFailures { get; set; } = 7;

    /// <summary>Timeout of one HTTP request. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Quick retries inside one attempt (transport errors, timeouts, 5xx, 408, 429 with a short Retry-After), 0.5 s apart, doubling. Default 2.</summary>
    public int QuickRetries { get; set; } = 2;

    /// <summary>Events read per subscription per pass. Default 100.</summary>
    public int BatchSize { get; set; } = 100;
}
