using HeadlessLoyalty.Api.Cli;
using Microsoft.Extensions.Options;
using Quartz;

namespace HeadlessLoyalty.Api.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// The Quartz scheduler with every <see cref="LoyaltyJobs"/> job on its configured interval (section <c>Jobs</c>).
    /// In-memory store on every provider for now: one instance runs the jobs; a second instance would run them too
    /// (harmless, they are idempotent, but wasted). Schedules and <c>Jobs:Enabled</c> are read when the host starts,
    /// so a test host's late configuration applies. A CLI invocation never starts the scheduler.
    /// </summary>
    public static WebApplicationBuilder AddLoyaltyJobs(this WebApplicationBuilder builder, string[] args)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration("Jobs");
        services.AddSingleton<JobRunner>();
        services.AddQuartz(q =>
        {
            // The app's TimeProvider (a test's fake clock) is the scheduler's: Quartz takes the container's when
            // none is given with UseTimeProvider.
            q.UseInMemoryStore();
            foreach (var job in LoyaltyJobs.All)
            {
                var key = new JobKey(job.Name);
                q.AddJob<ScheduledJob>(j => j.WithIdentity(key).WithDescription(job.Description));
                q.AddTrigger<ScheduledJob>((sp, t) =>
                {
                    var interval = sp.GetRequiredService<IOptions<JobsOptions>>().Value.For(job).Interval;
                    if (interval <= TimeSpan.Zero)
                        throw new InvalidOperationException($"Jobs:{job.Name} interval must be positive, was {interval}.");
                    t.ForJob(key)
                        .WithIdentity(job.Name)
                        .StartAt(sp.GetRequiredService<TimeProvider>().GetUtcNow() + interval)
                        .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever());
                });
            }
        });
        if (!CliExtensions.IsCliInvocation(args))
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            services.AddSingleton<IConfigureOptions<QuartzHostedServiceOptions>, AutoStartFromJobsOptions>();
        }
        return builder;
    }

    /// <summary><c>Jobs:Enabled=false</c> leaves the scheduler created but not started (runJob still works).</summary>
    private sealed class AutoStartFromJobsOptions(IOptions<JobsOptions> jobs) : IConfigureNamedOptions<QuartzHostedServiceOptions>
    {
        public void Configure(string? name, QuartzHostedServiceOptions options) => options.AutoStart = jobs.Value.Enabled;

        public void Configure(QuartzHostedServiceOptions options) => Configure(Options.DefaultName, options);
    }
}
