using HeadlessLoyalty.Api.Cli;
using HeadlessLoyalty.Api.Data;
using Microsoft.Extensions.Options;
using Quartz.Impl;
using Quartz;

namespace HeadlessLoyalty.Api.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// The Quartz scheduler with every <see cref="LoyaltyJobs"/> job on its configured interval (section <c>Jobs</c>).
    /// <list type="bullet">
    /// <item>Embedded SQLite: the in-memory store (one instance by definition).</item>
    /// <item>PostgreSQL and SQL Server: Quartz's clustered ADO store in the loyalty database (tables <c>qrtz_*</c>,
    /// created by our migrations, see <see cref="QuartzSchema"/>): several instances share the schedule, each firing
    /// runs on one instance only, and the firings of an instance that dies are recovered by another.
    /// <c>Jobs:Clustered=false</c> keeps the in-memory store there too.</item>
    /// </list>
    /// The provider and <c>Jobs:Clustered</c> choose the store here, at registration; the connection string, the
    /// schedules and <c>Jobs:Enabled</c> are read when the host starts. A CLI invocation never starts the scheduler.
    /// </summary>
    public static WebApplicationBuilder AddLoyaltyJobs(this WebApplicationBuilder builder, string[] args)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration("Jobs");
        services.AddSingleton<JobRunner>();
        var provider = builder.Configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var clustered = provider != DatabaseProvider.Sqlite && builder.Configuration.GetValue("Jobs:Clustered", true);
        services.AddQuartz(q =>
        {
            // The app's TimeProvider (a test's fake clock) is the scheduler's: Quartz takes the container's when
            // none is given with UseTimeProvider.
            if (clustered)
                q.UsePersistentStore(store => UseClusteredStore(store, provider));
            else
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
        if (clustered)
            services.AddOptions<DataSourceOptions>(DataSourceName)
                .Configure<DatabaseSettings>((source, database) => source.ConnectionString = database.ConnectionString);
        if (!CliExtensions.IsCliInvocation(args))
            services.AddHostedService<SchedulerStarter>();
        return builder;
    }

    /// <summary>The Quartz data source: the loyalty database (its connection string is bound at start).</summary>
    private const string DataSourceName = "loyalty";

    private static void UseClusteredStore(IPersistentStoreBuilder store, DatabaseProvider provider)
    {
        store.UseDataSource(DataSourceName);
        if (provider == DatabaseProvider.Postgres)
            store.UsePostgres(_ => { });
        else
            store.UseSqlServer(_ => { });
        store.UseClustering();
        store.UseSerializer<SystemTextJsonObjectSerializer>();
        store.ConfigureStore(options =>
        {
            options.TablePrefix = QuartzSchema.TablePrefix;
            // Our jobs carry no data; strings only keeps the rows readable if one ever does.
            options.StoreJobDataAsStrings = true;
            // The migrations own the schema: check it at start, never create it.
            options.SchemaProvisioning = SchemaProvisioning.Validate;
        });
    }
}
