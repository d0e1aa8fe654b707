using Microsoft.Extensions.Options;
using Quartz;

namespace HeadlessLoyalty.Api.Jobs;

/// <summary>
/// Starts the Quartz scheduler in the background once the application has started, retrying while the database is
/// unreachable, and shuts it down (waiting for running jobs) when the host stops.
/// <para>
/// Quartz's own hosted service builds the scheduler inside the host's start: with the clustered store that is a
/// database round trip, so a database that is down at boot would hold the whole process before it listens (no
/// <c>/healthz</c>, no <c>/readyz</c> saying why). Here the server comes up, <c>/readyz</c> reports the database, and
/// the schedule starts as soon as the database answers. <c>Jobs:Enabled=false</c>: nothing is started (an admin's
/// <c>runJob</c> still works; the <c>jobs</c> query creates the scheduler to read next runs).
/// </para>
/// </summary>
public sealed class SchedulerStarter(
    ISchedulerFactory schedulers, IOptions<JobsOptions> jobs, IHostApplicationLifetime lifetime, ILogger<SchedulerStarter> logger) : IHostedService
{
    /// <summary>Longest pause between two attempts (they start at 1 s and double).</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (jobs.Value.Enabled)
            _starting = Task.Run(() => StartWhenApplicationStartedAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StartWhenApplicationStartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(ct);

        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var scheduler = await schedulers.GetScheduler(ct);
                await scheduler.Start(ct);
                if (attempt > 1)
                    logger.LogInformation("Job scheduler started (attempt {Attempt})", attempt);
                return;
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return; // the host stopped first (Quartz wraps the cancellation in its own exception)
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Job scheduler could not start (attempt {Attempt}); retrying in {Delay}", attempt, delay);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _starting.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped before it could start: nothing to wait for.
        }
        // Every scheduler this container created (by the start above, or by a `jobs` query), without creating one.
        foreach (var scheduler in await schedulers.GetAllSchedulers(cancellationToken))
        {
            if (await scheduler.GetStatus(cancellationToken) != SchedulerStatus.Shutdown)
                await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }
    }
}
