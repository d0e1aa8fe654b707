namespace HeadlessLoyalty.Api.Tenancy;

/// <summary>A row that belongs to one program. The DbContext filters and stamps it by the caller's program.</summary>
public interface ITenantOwned
{
    Guid ProgramId { get; set; }
}
