using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay.DataObjects;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.GraphQL.Connections;

namespace HeadlessLoyalty.Api.Events;

public static class EventFields
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<LoyaltyEventConnectionType>>("events")
            .Description("The program's event log after a cursor, in position order, for catch-up and polling consumers; a storefront token reads only its own member's events (admin, partner, service, storefront). A cursor older than the retained log is refused with EVENTS_CURSOR_EXPIRED.")
            .AuthorizeWithRoles(Roles.Admin, Roles.Partner, Roles.Service, Roles.Storefront)
            .Argument<StringGraphType>("after", "A cursor (an edge's cursor, or an event's position in decimal): only events after it. Omitted: from the oldest retained event.")
            .Argument<IntGraphType>("first", $"At most this many events (default {DefaultPageSize}, at most {MaxPageSize}).")
            .Argument<LoyaltyEventFilterInputType>("filter", "Only events of these types and/or about this member.")
            .ResolveAsync(async c => await ResolveContextExtensions.QueryAsync(() => PageAsync(c)));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EventConsumerType>>>>("eventConsumers")
            .Description("The program's durable consumer cursors by name, each with its lag (admin, partner, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Partner, Roles.Service)
            .ResolveAsync(async c => await EventConsumers.ListAsync(c.Db(), c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AcknowledgeEventsPayloadType>>("acknowledgeEvents")
            .Description("Moves a named consumer's durable cursor forward to a position it has processed, so it resumes there without local state; never moves it back (admin, partner, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Partner, Roles.Service)
            .Argument<NonNullGraphType<AcknowledgeEventsInputType>>("input", "The consumer and the position.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<AcknowledgeEventsArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var consumer = await EventConsumers.AcknowledgeAsync(c.Db(), c.Clock(), input.Consumer, input.Position, c.CancellationToken);
                    return new AcknowledgeEventsResult(consumer, []);
                }, errors => new AcknowledgeEventsResult(null, errors));
            });
    }

    private static async Task<Connection<EventView>> PageAsync(IResolveFieldContext c)
    {
        var after = ParseCursor(c.GetArgument<string?>("after"));
        var first = c.GetArgument<int?>("first") ?? DefaultPageSize;
        if (first is < 0 or > MaxPageSize)
            throw PaginationError.InvalidPagination($"first must be between 0 and {MaxPageSize}.");
        var filter = c.GetArgument<EventFilterArgs?>("filter");
        var types = filter?.Types;
        RequireKnownTypes(types, "filter.types");
        var memberId = filter?.MemberId is { } raw ? ResolveContextExtensions.QueryGlobalId(raw, MemberType.TypeName) : (Guid?)null;

        var caller = c.Caller();
        if (!ReadsWholeProgram(caller))
        {
            // A storefront sees its own member only: another member's filter reads nothing.
            if (caller.MemberId is not { } own || (memberId is { } asked && asked != own))
                return Build([], after, false);
            memberId = own;
        }

        var db = c.Db();
        var rows = await EventLog.ReadRetainedAsync(db, after, first + 1, types, memberId, c.CancellationToken);
        return Build(rows.Take(first).Select(EventView.Of).ToList(), after, rows.Count > first);
    }

    /// <summary>INVALID_INPUT naming <paramref name="field"/> when a type is not in the catalog.</summary>
    internal static void RequireKnownTypes(IEnumerable<string>? types, string field)
    {
        if (types?.FirstOrDefault(t => EventCatalog.Find(t) is null) is { } unknown)
            throw new InvalidInputException(field, $"'{unknown}' is not an event type (see the LoyaltyEvent types' descriptions).");
    }

    /// <summary>Admin, partner and service tokens read the whole program's events; a storefront only its own member's.</summary>
    internal static bool ReadsWholeProgram(Caller caller) =>
        caller.IsInRole(Roles.Admin) || caller.IsInRole(Roles.Partner) || caller.IsInRole(Roles.Service);

    /// <summary>An <c>after</c> cursor: a position in decimal (null: 0), or INVALID_CURSOR.</summary>
    internal static long ParseCursor(string? cursor)
    {
        if (cursor is null)
            return 0;
        return long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position)
            ? position
            : throw PaginationError.InvalidCursor("after");
    }

    private static Connection<EventView> Build(IReadOnlyList<EventView> events, long after, bool hasNext)
    {
        var edges = events.Select(e => new Edge<EventView> { Cursor = Cursor(e), Node = e }).ToList();
        return new Connection<EventView>
        {
            Edges = edges,
            PageInfo = new PageInfo
            {
                HasNextPage = hasNext,
                // Forward only: whether events exist before the cursor is not worth a query (the Relay spec allows false).
                HasPreviousPage = false,
                StartCursor = edges.FirstOrDefault()?.Cursor,
                EndCursor = edges.LastOrDefault()?.Cursor,
            },
        };
    }

    private static string Cursor(EventView e) => e.Event.Position!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
