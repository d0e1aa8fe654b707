using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;

namespace HeadlessLoyalty.Api.Jobs;

public sealed record JobView(string Name, string Description, JobRun? LastRun, DateTimeOffset? NextRunAt);

public sealed class JobType : ObjectGraphType<JobView>
{
    public JobType()
    {
        Name = "Job";
        Description = "A background job of the engine (e.g. pending-approval), run on a schedule for every program.";
        Field(j => j.Name).Description("The job's stable name, for runJob.");
        Field(j => j.Description).Description("What the job does.");
        Field<JobRunType>("lastRun").Description("Its latest run for the caller's program; null before the first.").Resolve(c => c.Source.LastRun);
        Field<DateTimeGraphType>("nextRunAt").Description("When the scheduler runs it next (UTC); null when the scheduler is not running.").Resolve(c => c.Source.NextRunAt?.UtcDateTime);
    }
}

public sealed class JobRunType : ObjectGraphType<JobRun>
{
    public JobRunType()
    {
        Name = "JobRun";
        Description = "One run of a job for the caller's program.";
        Field(r => r.Job).Description("The job's name.");
        Field<NonNullGraphType<DateTimeGraphType>>("startedAt").Description("When the run started (UTC).").Resolve(c => c.Source.StartedAt.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("finishedAt").Description("When it finished (UTC).").Resolve(c => c.Source.FinishedAt.UtcDateTime);
        Field<NonNullGraphType<JobOutcomeType>>("outcome").Description("Whether it succeeded.").Resolve(c => c.Source.Outcome);
        Field<NonNullGraphType<IntGraphType>>("processed").Description("How many items it changed (e.g. purchases approved); 0 when there was nothing new.").Resolve(c => c.Source.Processed);
        Field<NonNullGraphType<JobTriggerType>>("trigger").Description("What started it.").Resolve(c => c.Source.Trigger);
        Field(r => r.Error, nullable: true).Description("Why it failed (a short message); null on success.");
    }
}

public sealed class JobOutcomeType : EnumerationGraphType
{
    public JobOutcomeType()
    {
        Name = "JobOutcome";
        Description = "How a job run ended.";
        Add("SUCCEEDED", JobOutcome.Succeeded, "It did its work; `processed` says how much.");
        Add("FAILED", JobOutcome.Failed, "It stopped with an error; the next run retries (jobs are idempotent).");
    }
}

public sealed class JobTriggerType : EnumerationGraphType
{
    public JobTriggerType()
    {
        Name = "JobTrigger";
        Description = "What started a job run.";
        Add("SCHEDULED", JobTrigger.Scheduled, "The scheduler, on the job's interval.");
        Add("MANUAL", JobTrigger.Manual, "An admin's runJob.");
    }
}

public sealed record RunJobResult(JobRun? Run, IReadOnlyList<UserError> UserErrors);

public sealed class RunJobPayloadType : ObjectGraphType<RunJobResult>
{
    public RunJobPayloadType()
    {
        Name = "RunJobPayload";
        Description = "Result of runJob.";
        Field<JobRunType>("run").Description("The recorded run (it may have FAILED); null when refused.").Resolve(c => c.Source.Run);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing ran; empty otherwise.").Resolve(c => c.Source.UserErrors);
    }
}
