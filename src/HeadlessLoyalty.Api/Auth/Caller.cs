namespace HeadlessLoyalty.Api.Auth;

/// <summary>
/// Who is calling, for this scope: filled from the validated token by the tenant middleware (or by an operator
/// tool). Anonymous until then: <see cref="IsAuthenticated"/> false and <see cref="ProgramId"/> empty.
/// </summary>
public sealed class Caller
{
    // Order decides the Actor prefix when a token carries several roles: the most privileged wins.
    private static readonly string[] ActorPrecedence = [Auth.Roles.Admin, Auth.Roles.Service, Auth.Roles.Partner, Auth.Roles.Pos, Auth.Roles.Storefront];

    public bool IsAuthenticated { get; private set; }
    public Guid ProgramId { get; private set; }
    public string ProgramSlug { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public IReadOnlyList<string> Roles { get; private set; } = [];
    /// <summary>Set for storefront tokens only.</summary>
    public Guid? MemberId { get; private set; }
    /// <summary>Set for Shopify POS session tokens only: the store connection the till belongs to.</summary>
    public Guid? StoreConnectionId { get; private set; }

    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>Recorded on ledger entries and events, e.g. <c>admin:alice</c>; <c>anonymous</c> before authentication.</summary>
    public string Actor => IsAuthenticated
        ? $"{ActorPrecedence.FirstOrDefault(IsInRole) ?? Roles.FirstOrDefault() ?? "user"}:{Subject}"
        : "anonymous";

    public void Set(Guid programId, string programSlug, string subject, IReadOnlyList<string> roles, Guid? memberId, Guid? storeConnectionId = null)
    {
        if (IsAuthenticated)
            throw new InvalidOperationException("The caller of a scope cannot change once set.");
        (IsAuthenticated, ProgramId, ProgramSlug, Subject, Roles, MemberId, StoreConnectionId) = (true, programId, programSlug, subject, roles, memberId, storeConnectionId);
    }
}
