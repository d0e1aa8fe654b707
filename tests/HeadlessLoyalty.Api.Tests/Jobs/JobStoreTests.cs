using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using TestDatabase = HeadlessLoyalty.Api.Tests.Infrastructure.TestDatabase;

namespace HeadlessLoyalty.Api.Tests.Jobs;

/// <summary>Quartz's job store: in memory on SQLite, clustered in the database on PostgreSQL (and SQL Server).</summary>
public sealed class JobStoreTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void The_migration_runs_quartz_own_script_for_the_server_with_our_table_prefix(DatabaseProvider provider)
    {
        var statements = QuartzSchema.CreateStatements(provider);
        var tables = QuartzSchema.TableNames(provider).Select(t => t.ToLowerInvariant()).ToList();

        Assert.All(statements, s => Assert.DoesNotContain("{0}", s));
        Assert.All(statements, s => Assert.DoesNotContain("{1}", s));
        Assert.Superset(
            new HashSet<string> { "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_fired_triggers", "qrtz_locks", "qrtz_scheduler_state" },
            tables.ToHashSet());
        Assert.Equal(tables.Count, tables.Distinct().Count());
    }

    [Fact]
    public void The_embedded_default_has_no_job_store_tables_to_create()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QuartzSchema.CreateStatements(DatabaseProvider.Sqlite));
    }

    [Theory, PostgresData]
    public async Task The_migrated_database_holds_the_job_store_and_the_scheduler_keeps_its_schedule_there(string server)
    {
        await using var app = await LoyaltyApiFactory.StartAsync(Server(server));

        // The scheduler (not started in tests) validates the schema and stores every job and trigger when created.
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.True((await scheduler.GetMetadata()).JobStoreClustered);
        Assert.True((await scheduler.GetMetadata()).JobStorePersistent);

        var jobs = await CountAsync(app.Database, "SELECT count(*) FROM qrtz_job_details");
        var triggers = await CountAsync(app.Database, "SELECT count(*) FROM qrtz_triggers");
        Assert.Equal(LoyaltyJobs.All.Count, jobs);
        Assert.Equal(LoyaltyJobs.All.Count, triggers);
    }

    [Theory, PostgresData]
    public async Task Jobs_Clustered_false_keeps_the_in_memory_store_on_a_server_database(string server)
    {
        await using var app = await LoyaltyApiFactory.StartAsync(Server(server), new Dictionary<string, string?> { ["Jobs:Clustered"] = "false" });

        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        Assert.False((await scheduler.GetMetadata()).JobStorePersistent);
        Assert.Equal(0, await CountAsync(app.Database, "SELECT count(*) FROM qrtz_job_details"));
    }

    [Fact]
    public async Task The_embedded_default_schedules_in_memory()
    {
        await using var app = await LoyaltyApiFactory.StartAsync(DatabaseProvider.Sqlite);

        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        Assert.False((await scheduler.GetMetadata()).JobStorePersistent);
    }

    /// <summary>
    /// Two instances over one PostgreSQL database, their (fake) clocks moved together a second at a time, the job due
    /// every second: each firing runs on one instance only, so there are never more runs than seconds (two in-memory
    /// schedulers would both run every firing, twice as many); both instances are in the cluster; when one stops the
    /// other keeps the schedule going.
    /// </summary>
    [Theory, PostgresData]
    public async Task Two_instances_run_each_firing_once_and_the_survivor_keeps_the_schedule(string server)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:Enabled"] = "true",
            ["Jobs:PendingApproval:Interval"] = "00:00:01",
        };
        await using var first = await LoyaltyApiFactory.StartAsync(Server(server), settings);
        await using var second = new LoyaltyApiFactory(first.Database.Shared(), settings);
        _ = second.Server; // start it now
        var slug = $"cl-{Guid.NewGuid():N}"[..12];
        await first.CreateProgramAsync(slug);
        LoyaltyApiFactory[] running = [first, second];

        var (runs, seconds) = await AdvanceUntilAsync(running, slug, atLeast: 8);

        Assert.True(runs >= 8, $"only {runs} scheduled runs were recorded");
        Assert.True(runs <= seconds + 1, $"{runs} runs in {seconds} seconds: some firings ran on both instances");
        Assert.Equal(2, await CountAsync(first.Database, "SELECT count(*) FROM qrtz_scheduler_state"));

        await second.DisposeAsync(); // the instance over the borrowed database stops; the owner keeps the database
        var (after, _) = await AdvanceUntilAsync([first], slug, atLeast: runs + 3);

        Assert.True(after >= runs + 3, $"the survivor recorded {after - runs} runs after the other instance stopped");
    }

    /// <summary>The PostgreSQL rows' parameter (<see cref="PostgresDataAttribute"/> skips them without a server).</summary>
    private static DatabaseProvider Server(string name) => Enum.Parse<DatabaseProvider>(name, ignoreCase: true);

    /// <summary>Moves every clock a second at a time until the program has <paramref name="atLeast"/> scheduled runs: (runs, seconds moved).</summary>
    private static async Task<(int Runs, int Seconds)> AdvanceUntilAsync(IReadOnlyList<LoyaltyApiFactory> apps, string slug, int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var (runs, seconds) = (0, 0);
        while (runs < atLeast && DateTime.UtcNow < deadline)
        {
            foreach (var app in apps)
                app.Clock.Advance(TimeSpan.FromSeconds(1));
            seconds++;
            await Task.Delay(150);
            runs = await apps[^1].WithTenantAsync(slug, db => db.JobRuns.AsNoTracking()
                .CountAsync(r => r.Trigger == JobTrigger.Scheduled && r.Job == LoyaltyJobs.PendingApproval.Name));
        }
        return (runs, seconds);
    }

    private static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
