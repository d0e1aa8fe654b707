using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Jobs;

/// <summary>
/// The pending-approval job on the real app and database: once per program in that program's tenant scope, one
/// recorded run per program, idempotent reruns, a failing program isolated, runJob and the jobs query over GraphQL.
/// </summary>
public abstract class JobTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private JobRunner Runner => _app.Services.GetRequiredService<JobRunner>();

    /// <summary>A program with a 3-day return window and one completed purchase whose 30 points are pending.</summary>
    private async Task<(string Slug, Guid ProgramId, Guid MemberId)> ProgramWithPendingPurchaseAsync(string prefix)
    {
        var slug = NewSlug(prefix);
        var program = await _app.CreateProgramAsync(slug);
        await _app.WithTenantAsync(slug, db => PurchaseOperations.UpdateSettingsAsync(db, _app.Clock, new EarningSettings(PointsPerCurrencyUnit: 3m, PendingDays: 3)));
        var member = await _app.EnrollAsync(slug, $"{slug}@example.com");
        await _app.WithTenantAsync(slug, db => PurchaseOperations.RecordAsync(db, _app.Clock, "test", new RecordPurchaseInput(
            member.Id, PurchaseChannel.Online, "shop", null, $"order-{slug}", 10m, null, "USD", null, PurchaseStatus.Completed)));
        return (slug, program.Id, member.Id);
    }

    private Task<(long Approved, long Pending)> BalanceAsync(string slug, Guid memberId) =>
        _app.WithTenantAsync(slug, async db =>
        {
            var balance = await db.Balances.AsNoTracking().SingleAsync(b => b.MemberId == memberId);
            return (balance.Approved, balance.Pending);
        });

    private Task<List<JobRun>> RunsAsync(string slug) =>
        _app.WithTenantAsync(slug, db => db.JobRuns.AsNoTracking().ToListAsync());

    [DbFact]
    public async Task The_job_approves_due_purchases_of_every_program_and_records_one_run_per_program()
    {
        var a = await ProgramWithPendingPurchaseAsync("ja");
        var b = await ProgramWithPendingPurchaseAsync("jb");
        _app.Clock.Advance(TimeSpan.FromDays(4));

        var runs = await Runner.RunForAllProgramsAsync(LoyaltyJobs.PendingApproval, JobTrigger.Scheduled);

        foreach (var p in new[] { a, b })
        {
            var run = Assert.Single(runs, r => r.ProgramId == p.ProgramId);
            Assert.Equal((JobOutcome.Succeeded, 1, JobTrigger.Scheduled, "pending-approval", (string?)null), (run.Outcome, run.Processed, run.Trigger, run.Job, run.Error));
            Assert.Equal((30L, 0L), await BalanceAsync(p.Slug, p.MemberId));
            var recorded = Assert.Single(await RunsAsync(p.Slug));
            Assert.Equal((run.Id, p.ProgramId, 1), (recorded.Id, recorded.ProgramId, recorded.Processed));
        }
    }

    [DbFact]
    public async Task A_rerun_processes_nothing_new()
    {
        var a = await ProgramWithPendingPurchaseAsync("jr");
        _app.Clock.Advance(TimeSpan.FromDays(4));
        await Runner.RunForAllProgramsAsync(LoyaltyJobs.PendingApproval, JobTrigger.Scheduled);
        var eventsAfterFirst = await _app.WithTenantAsync(a.Slug, db => db.DomainEvents.CountAsync());

        var rerun = await Runner.RunForAllProgramsAsync(LoyaltyJobs.PendingApproval, JobTrigger.Scheduled);

        var run = Assert.Single(rerun, r => r.ProgramId == a.ProgramId);
        Assert.Equal((JobOutcome.Succeeded, 0), (run.Outcome, run.Processed));
        Assert.Equal((30L, 0L), await BalanceAsync(a.Slug, a.MemberId));
        Assert.Equal(eventsAfterFirst, await _app.WithTenantAsync(a.Slug, db => db.DomainEvents.CountAsync()));
        Assert.Equal([0, 1], (await RunsAsync(a.Slug)).Select(r => r.Processed).Order());
    }

    [DbFact]
    public async Task A_program_whose_run_throws_is_recorded_failed_and_the_others_still_succeed()
    {
        var good = await ProgramWithPendingPurchaseAsync("jg");
        var bad = await ProgramWithPendingPurchaseAsync("jf");
        _app.Clock.Advance(TimeSpan.FromDays(4));
        // The real job, except that it breaks for one program half-way (after approving, before returning).
        var flaky = LoyaltyJobs.PendingApproval with
        {
            RunForProgram = async (db, clock, ct) =>
            {
                var approved = await PurchaseOperations.ApproveDueAsync(db, clock, ct);
                return db.Tenant.ProgramId == bad.ProgramId ? throw new InvalidOperationException("store API down\n   at Somewhere.Deep()") : approved;
            },
        };

        var runs = await Runner.RunForAllProgramsAsync(flaky, JobTrigger.Scheduled);

        var failed = Assert.Single(runs, r => r.ProgramId == bad.ProgramId);
        Assert.Equal((JobOutcome.Failed, 0, "InvalidOperationException: store API down"), (failed.Outcome, failed.Processed, failed.Error));
        var succeeded = Assert.Single(runs, r => r.ProgramId == good.ProgramId);
        Assert.Equal((JobOutcome.Succeeded, 1), (succeeded.Outcome, succeeded.Processed));
        Assert.Equal(JobOutcome.Failed, Assert.Single(await RunsAsync(bad.Slug)).Outcome);
        Assert.Equal((30L, 0L), await BalanceAsync(good.Slug, good.MemberId));
    }

    [DbFact]
    public async Task Runs_older_than_the_retention_are_deleted_when_the_job_runs_again()
    {
        var a = await ProgramWithPendingPurchaseAsync("jt");
        await Runner.RunForProgramAsync(LoyaltyJobs.PendingApproval, a.ProgramId, JobTrigger.Scheduled);
        _app.Clock.Advance(JobRunner.Retention - TimeSpan.FromMinutes(1));
        var second = await Runner.RunForProgramAsync(LoyaltyJobs.PendingApproval, a.ProgramId, JobTrigger.Scheduled);
        Assert.Equal(2, (await RunsAsync(a.Slug)).Count); // the first is not old enough yet

        _app.Clock.Advance(TimeSpan.FromMinutes(2));
        var third = await Runner.RunForProgramAsync(LoyaltyJobs.PendingApproval, a.ProgramId, JobTrigger.Scheduled);

        Assert.Equal(new[] { second.Id, third.Id }.Order(), (await RunsAsync(a.Slug)).Select(r => r.Id).Order());
    }

    [DbFact]
    public async Task An_admin_runs_a_job_for_its_own_program_through_GraphQL_and_sees_it_in_jobs()
    {
        var a = await ProgramWithPendingPurchaseAsync("jq");
        var b = await ProgramWithPendingPurchaseAsync("jo");
        _app.Clock.Advance(TimeSpan.FromDays(4));
        using var client = _app.CreateClient(_app.MintToken(a.Slug, Roles.Admin));

        using var run = await client.PostGraphQLAsync("mutation { runJob(name: \"pending-approval\") { run { job outcome processed trigger error startedAt finishedAt } userErrors { code } } }");
        using var unknown = await client.PostGraphQLAsync("mutation { runJob(name: \"nope\") { run { job } userErrors { code field } } }");
        using var jobs = await client.PostGraphQLAsync("{ jobs { name description nextRunAt lastRun { outcome processed trigger } } }");

        var ran = run.Data.GetProperty("runJob").GetProperty("run");
        Assert.Equal(("pending-approval", "SUCCEEDED", 1, "MANUAL"), (ran.GetProperty("job").GetString(), ran.GetProperty("outcome").GetString(), ran.GetProperty("processed").GetInt32(), ran.GetProperty("trigger").GetString()));
        Assert.Equal(["JOB_NOT_FOUND"], unknown.UserErrorCodes("runJob"));
        var job = Assert.Single(jobs.Data.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("name").GetString() == "pending-approval");
        Assert.Equal("pending-approval", job.GetProperty("name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, job.GetProperty("nextRunAt").ValueKind); // the test host runs no scheduler
        Assert.Equal(("SUCCEEDED", 1, "MANUAL"), (job.GetProperty("lastRun").GetProperty("outcome").GetString(), job.GetProperty("lastRun").GetProperty("processed").GetInt32(), job.GetProperty("lastRun").GetProperty("trigger").GetString()));
        Assert.Equal((30L, 0L), await BalanceAsync(a.Slug, a.MemberId));
        Assert.Equal((0L, 30L), await BalanceAsync(b.Slug, b.MemberId)); // B's purchase waits for B's own run
        Assert.Empty(await RunsAsync(b.Slug));
    }

    [DbFact]
    public async Task The_birthdays_job_greets_the_programs_members_whose_birthday_it_is_once()
    {
        var slug = NewSlug("jb");
        await _app.CreateProgramAsync(slug);
        var today = DateOnly.FromDateTime(_app.Clock.GetUtcNow().UtcDateTime);
        await _app.WithTenantAsync(slug, db => MemberOperations.EnrollAsync(db, _app.Clock, "t",
            new EnrollMemberInput("cake@example.com", BirthdayMonth: today.Month == 2 && today.Day == 29 ? 2 : today.Month, BirthdayDay: today.Day)));
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));

        using var first = await client.PostGraphQLAsync("mutation { runJob(name: \"birthdays\") { run { outcome processed } userErrors { code } } }");
        using var again = await client.PostGraphQLAsync("mutation { runJob(name: \"birthdays\") { run { outcome processed } userErrors { code } } }");

        Assert.Equal(("SUCCEEDED", 1), (first.Data.GetProperty("runJob").GetProperty("run").GetProperty("outcome").GetString(), first.Data.GetProperty("runJob").GetProperty("run").GetProperty("processed").GetInt32()));
        Assert.Equal(0, again.Data.GetProperty("runJob").GetProperty("run").GetProperty("processed").GetInt32());
    }
}

public sealed class JobTestsOnSqlite(SqliteFixture fixture) : JobTests(fixture), IClassFixture<SqliteFixture>;

public sealed class JobTestsOnPostgres(PostgresFixture fixture) : JobTests(fixture), IClassFixture<PostgresFixture>;

/// <summary>The scheduler of a running app fires the job by itself (a one-second interval, this test's own host).</summary>
public sealed class JobSchedulerTests
{
    [Fact]
    public async Task The_scheduler_fires_the_pending_approval_job_in_a_running_app()
    {
        await using var app = await LoyaltyApiFactory.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Jobs:Enabled"] = "true",
            ["Jobs:PendingApproval:Interval"] = "00:00:01",
        });
        var slug = NewSlug("js");
        await app.CreateProgramAsync(slug);

        // The scheduler runs on the app's (fake) clock: move it along until a scheduled run is recorded, or give up.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JobRun? run = null;
        while (run is null && DateTime.UtcNow < deadline)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
            run = await app.WithTenantAsync(slug, db => db.JobRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Trigger == JobTrigger.Scheduled));
        }

        Assert.NotNull(run);
        Assert.Equal(("pending-approval", JobOutcome.Succeeded), (run.Job, run.Outcome));
        using var client = app.CreateClient(app.MintToken(slug, Roles.Admin));
        using var jobs = await client.PostGraphQLAsync("{ jobs { name nextRunAt } }");
        Assert.Equal(System.Text.Json.JsonValueKind.String, Assert.Single(jobs.Data.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("name").GetString() == "pending-approval").GetProperty("nextRunAt").ValueKind);
    }
}
