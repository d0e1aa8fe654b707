using Quartz;

namespace HeadlessLoyalty.Api.Jobs;

/// <summary>
/// The Quartz side of every <see cref="LoyaltyJob"/>: the job key's name is the loyalty job's name. Never two
/// firings of one job at once (a slow run is not overtaken by the next); the runs themselves are idempotent.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ScheduledJob(JobRunner runner) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var job = LoyaltyJobs.Find(context.JobDetail.Key.Name)
            ?? throw new InvalidOperationException($"No loyalty job named '{context.JobDetail.Key.Name}'.");
        var runs = await runner.RunForAllProgramsAsync(job, JobTrigger.Scheduled, cancellationToken);
        context.Result = runs.Count(r => r.Outcome == JobOutcome.Failed) is var failed and > 0
            ? $"{failed} of {runs.Count} programs failed"
            : $"{runs.Count} programs";
    }
}
