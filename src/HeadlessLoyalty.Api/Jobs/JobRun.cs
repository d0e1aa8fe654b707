using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Jobs;

public enum JobOutcome { Succeeded, Failed }

/// <summary>Scheduled: fired by the scheduler; Manual: an admin's runJob.</summary>
public enum JobTrigger { Scheduled, Manual }

/// <summary>
/// One run of one job for one program: what admins see as the job's last run. Written once the program's part of
/// the run is over, so a crash mid-run leaves no row and the next run (the jobs are idempotent) picks the work up.
/// </summary>
public sealed class JobRun : ITenantOwned
{
    public const int MaxErrorLength = 500;

    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required string Job { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required JobOutcome Outcome { get; init; }
    /// <summary>How many items the run changed (e.g. purchases approved); 0 on a rerun with nothing new.</summary>
    public required int Processed { get; init; }
    /// <summary>The failure's short message (type and first line, never a stack trace); null on success.</summary>
    public string? Error { get; init; }
    public required JobTrigger Trigger { get; init; }
}
