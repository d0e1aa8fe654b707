using GraphQL;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using GraphQL.Types.Relay.DataObjects;
using HeadlessLoyalty.GraphQL.Connections;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.GraphQL;

/// <summary>What resolvers need from the request scope, and the two ways a domain refusal reaches a client.</summary>
internal static class ResolveContextExtensions
{
    private static IServiceProvider Services(IResolveFieldContext context) =>
        context.RequestServices ?? throw new InvalidOperationException("GraphQL execution needs the request's services.");

    /// <summary>The request's DbContext: tenant-filtered to the caller's program.</summary>
    public static LoyaltyDbContext Db(this IResolveFieldContext context) => Services(context).GetRequiredService<LoyaltyDbContext>();

    public static Caller Caller(this IResolveFieldContext context) => Services(context).GetRequiredService<Caller>();

    public static TimeProvider Clock(this IResolveFieldContext context) => Services(context).GetRequiredService<TimeProvider>();

    /// <summary>
    /// A Relay connection over an ordered EF query: the page and the total count run in SQL, each row becomes its view.
    /// <paramref name="defaultPageSize"/> applies without first/last; more than <paramref name="maxPageSize"/> is refused.
    /// </summary>
    public static Task<Connection<TView>> PageAsync<TEntity, TView>(
        this IResolveFieldContext context, IQueryable<TEntity> ordered, Func<TEntity, TView> view, int defaultPageSize = 20, int maxPageSize = 100) =>
        ConnectionSlicer.SliceAsync<TView>(
            ConnectionArguments.FromContext(context),
            async (skip, take, ct) => (IReadOnlyList<TView>)(await ordered.Skip(skip).Take(take).ToListAsync(ct)).Select(view).ToList(),
            ct => ordered.CountAsync(ct),
            defaultPageSize, maxPageSize, context.CancellationToken);

    /// <summary>DateTime inputs without an offset are taken as UTC (the schema's times are all UTC).</summary>
    public static DateTimeOffset AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Unspecified => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
        _ => new DateTimeOffset(value.ToUniversalTime()),
    };

    /// <summary>Queries surface a refusal as a field error carrying the same stable code.</summary>
    public static async Task<T> QueryAsync<T>(Func<Task<T>> query)
    {
        try
        {
            return await query();
        }
        catch (LoyaltyException e)
        {
            throw new ExecutionError(e.Message) { Code = e.Code };
        }
    }

    /// <summary>The entity id inside a global id of <paramref name="typeName"/>, or INVALID_INPUT naming <paramref name="field"/>.</summary>
    public static Guid ParseGlobalId(string? globalId, string typeName, string field) =>
        TryParseGlobalId(globalId, typeName, out var id)
            ? id
            : throw new InvalidInputException(field, $"'{globalId}' is not a {typeName} id.");

    /// <summary>For query arguments: a malformed id or one of another type is a field error with code INVALID_ID.</summary>
    public static Guid QueryGlobalId(string globalId, string typeName) =>
        TryParseGlobalId(globalId, typeName, out var id)
            ? id
            : throw new ExecutionError($"'{globalId}' is not a {typeName} id.") { Code = NodeResolverRegistry.InvalidIdCode };

    public static bool TryParseGlobalId(string? globalId, string typeName, out Guid id)
    {
        id = default;
        return GlobalId.TryDecode(globalId, out var type, out var raw) && type == typeName && Guid.TryParse(raw, out id);
    }
}
