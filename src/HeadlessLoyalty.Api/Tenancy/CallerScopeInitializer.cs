using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.GraphQL.Subscriptions;

namespace HeadlessLoyalty.Api.Tenancy;

/// <summary>
/// Child scopes of the GraphQL streaming transports (one per WebSocket operation, one per subscription event, and
/// the ones subscription resolvers open per read) carry the parent's tenant and caller, so the tenant filter and
/// the visibility rules hold there exactly as in the request.
/// </summary>
internal sealed class CallerScopeInitializer : IGraphQLScopeInitializer
{
    public void Initialize(IServiceProvider parent, IServiceProvider child)
    {
        if (parent.GetRequiredService<TenantContext>().ProgramId is { } programId)
            child.GetRequiredService<TenantContext>().Set(programId);
        var caller = parent.GetRequiredService<Caller>();
        if (caller.IsAuthenticated)
            child.GetRequiredService<Caller>().Set(caller.ProgramId, caller.ProgramSlug, caller.Subject, caller.Roles, caller.MemberId, caller.StoreConnectionId);
    }
}
