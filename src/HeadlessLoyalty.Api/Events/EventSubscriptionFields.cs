using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Events;

public static class EventSubscriptionFields
{
    public static void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<LoyaltyEventInterface>>("loyaltyEvents")
            .Description("The program's loyalty events as they happen, over graphql-transport-ws or graphql-sse: with `after`, first every event after that cursor (replayed at the pace the client reads), then live, with no gap and no duplicate at the switch. Reconnect with the last `position` you received as `after` to resume. A storefront token gets only its own member's events; admin, partner and service tokens the whole program's. A cursor older than the retained log is refused with EVENTS_CURSOR_EXPIRED (also later, if the subscription falls that far behind while replaying).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Partner, Roles.Service, Roles.Storefront)
            .Argument<StringGraphType>("after", "A cursor: an event's `position` (or an `events` edge cursor). Omitted: only events that happen from now on. \"0\": from the oldest retained event.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("types", "Only events of these catalog types, e.g. [\"points.earned\"]; null or empty: every type.")
            .Argument<IdGraphType>("memberId", "Global id of a member: only the events about that member. A storefront token may name only its own member.")
            .ResolveStreamAsync(async c => await ResolveContextExtensions.QueryAsync(() => SubscribeAsync(c)));
    }

    private static async Task<IObservable<object?>> SubscribeAsync(IResolveFieldContext c)
    {
        var afterArg = c.GetArgument<string?>("after");
        long? after = afterArg is null ? null : EventFields.ParseCursor(afterArg);
        var typeList = c.GetArgument<List<string>?>("types");
        EventFields.RequireKnownTypes(typeList, "types");
        IReadOnlySet<string>? types = typeList is { Count: > 0 } ? typeList.ToHashSet(StringComparer.Ordinal) : null;
        var memberId = c.GetArgument<string?>("memberId") is { } raw ? ResolveContextExtensions.QueryGlobalId(raw, MemberType.TypeName) : (Guid?)null;

        var caller = c.Caller();
        if (!EventFields.ReadsWholeProgram(caller))
        {
            if (caller.MemberId is not { } own)
                throw new ExecutionError("This storefront token is not a member's: it has no events to follow.") { Code = ErrorCodes.Forbidden };
            if (memberId is { } asked && asked != own)
                throw new ExecutionError("A storefront token follows only its own member's events.") { Code = ErrorCodes.Forbidden };
            memberId = own;
        }

        var services = c.RequestServices!;
        var programId = services.GetRequiredService<TenantContext>().ProgramId
            ?? throw new InvalidOperationException("A loyaltyEvents subscription without a program scope.");
        var db = c.Db();
        // From a cursor: refuse an expired one now. Without one: from the program's head, i.e. only what happens next.
        if (after is { } cursor)
            await EventLog.EnsureCursorRetainedAsync(db, cursor, c.CancellationToken);
        var start = after ?? await EventLog.HeadAsync(db, c.CancellationToken);
        return new EventLogStream(services, programId, start, types, memberId);
    }
}
