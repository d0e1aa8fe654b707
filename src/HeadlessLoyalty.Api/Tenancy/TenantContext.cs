namespace HeadlessLoyalty.Api.Tenancy;

/// <summary>
/// The caller's program for this scope (request, job, CLI command). Set once from the token (or by an
/// operator tool); the DbContext reads it to filter every query and stamp every insert.
/// </summary>
public sealed class TenantContext
{
    private Guid? _programId;

    public Guid? ProgramId => _programId;

    public bool HasProgram => _programId is not null;

    public void Set(Guid programId)
    {
        if (_programId is { } current && current != programId)
            throw new InvalidOperationException("The tenant of a scope cannot change once set.");
        _programId = programId;
    }
}
