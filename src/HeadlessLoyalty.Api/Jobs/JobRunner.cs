using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Jobs;

/// <summary>
/// Runs a job once per program, each in its own DI scope whose tenant is that program (the tenant filter hides
/// every row of a scope without one), and records a <see cref="JobRun"/> per program. A program whose run throws is
/// recorded Failed and the others still run.
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, TimeProvider clock, ILogger<JobRunner> logger)
{
    /// <summary>Runs older than this are deleted when the same job records a new run for the program (every 5 minutes adds up).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public async Task<IReadOnlyList<JobRun>> RunForAllProgramsAsync(LoyaltyJob job, JobTrigger trigger, CancellationToken ct = default)
    {
        List<Guid> programs;
        await using (var scope = scopes.CreateAsyncScope())
        {
            programs = await scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>().Programs.AsNoTracking()
                .OrderBy(p => p.Slug).Select(p => p.Id).ToListAsync(ct);
        }
        var runs = new List<JobRun>(programs.Count);
        foreach (var programId in programs)
        {
            ct.ThrowIfCancellationRequested();
            runs.Add(await RunForProgramAsync(job, programId, trigger, ct));
        }
        return runs;
    }

    public async Task<JobRun> RunForProgramAsync(LoyaltyJob job, Guid programId, JobTrigger trigger, CancellationToken ct = default)
    {
        var startedAt = clock.GetUtcNow();
        var processed = 0;
        string? error = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(programId);
            processed = job.RunWithServices is { } withServices
                ? await withServices(scope.ServiceProvider, ct)
                : await job.RunForProgram(scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>(), clock, ct);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            // The stack trace goes to the log only; admins see the short message.
            logger.LogError(e, "Job {Job} failed for program {ProgramId}", job.Name, programId);
            error = ShortMessage(e);
        }

        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            ProgramId = programId,
            Job = job.Name,
            StartedAt = startedAt,
            FinishedAt = clock.GetUtcNow(),
            Outcome = error is null ? JobOutcome.Succeeded : JobOutcome.Failed,
            Processed = processed,
            Error = error,
            Trigger = trigger,
        };
        // A fresh scope: a failed run may have left its context with a broken transaction or tracked garbage.
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(programId);
            var db = scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>();
            db.JobRuns.Add(run);
            await db.SaveChangesAsync(ct);
            var cutoff = run.StartedAt - Retention;
            await db.JobRuns.Where(r => r.Job == job.Name && r.StartedAt < cutoff).ExecuteDeleteAsync(ct);
        }
        return run;
    }

    /// <summary>The latest run of each job in the scope's program.</summary>
    public static async Task<IReadOnlyDictionary<string, JobRun>> LastRunsAsync(LoyaltyDbContext db, CancellationToken ct = default)
    {
        var last = new Dictionary<string, JobRun>();
        foreach (var job in LoyaltyJobs.All)
        {
            // One indexed lookup per job: (ProgramId, Job, StartedAt).
            if (await db.JobRuns.AsNoTracking().Where(r => r.Job == job.Name)
                    .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct) is { } run)
                last[job.Name] = run;
        }
        return last;
    }

    internal static string ShortMessage(Exception e)
    {
        var message = $"{e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}";
        return message.Length <= JobRun.MaxErrorLength ? message : message[..(JobRun.MaxErrorLength - 1)] + "…";
    }
}
