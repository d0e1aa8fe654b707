using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Tenancy;
using Quartz;

namespace HeadlessLoyalty.Api.Jobs;

public static class JobFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<JobType>>>>("jobs")
            .Description("The background jobs, each with its last run for the caller's program and its next scheduled run (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var services = c.RequestServices!;
                var lastRuns = await JobRunner.LastRunsAsync(c.Db(), c.CancellationToken);
                var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(c.CancellationToken);
                var running = await scheduler.GetStatus(c.CancellationToken) == SchedulerStatus.Running;
                var views = new List<JobView>();
                foreach (var job in LoyaltyJobs.All)
                {
                    // A scheduler that is not running (Jobs:Enabled=false) will not run anything: no next run.
                    var trigger = running ? await scheduler.GetTrigger(new TriggerKey(job.Name), c.CancellationToken) : null;
                    var next = trigger?.NextFireTimeUtc;
                    views.Add(new JobView(job.Name, job.Description, lastRuns.GetValueOrDefault(job.Name), next));
                }
                return views;
            });
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RunJobPayloadType>>("runJob")
            .Description("Runs a job now for the caller's program only and returns the recorded run; other programs are untouched (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<StringGraphType>>("name", "The job's name, as the jobs query lists it (e.g. pending-approval).")
            .ResolveAsync(async c =>
            {
                var name = c.GetArgument<string>("name");
                return await Mutations.RunAsync(async () =>
                {
                    var job = LoyaltyJobs.Find(name) ?? throw new JobNotFoundException(name);
                    var programId = c.RequestServices!.GetRequiredService<TenantContext>().ProgramId
                        ?? throw new InvalidOperationException("runJob needs the caller's program.");
                    var run = await c.RequestServices!.GetRequiredService<JobRunner>()
                        .RunForProgramAsync(job, programId, JobTrigger.Manual, c.CancellationToken);
                    return new RunJobResult(run, []);
                }, errors => new RunJobResult(null, errors));
            });
    }
}
