using System.Reflection;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Tiers;
using HeadlessLoyalty.GraphQL.Connections;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Events;

/// <summary>An event with its payload read as the catalog's record (null for a type the catalog does not know).</summary>
public sealed record EventView(DomainEvent Event, object? Payload)
{
    public static EventView Of(DomainEvent e) => new(e, DomainEvents.ReadPayload(e));

    /// <summary>The member the event is about, from the payload (a snapshot: the member may have been deleted or changed since).</summary>
    public EventMemberView? Member => Payload is null || Event.MemberId is not { } id
        ? null
        : new EventMemberView(id, Payload.GetType().GetProperty("Email")?.GetValue(Payload) as string ?? "");
}

public sealed record EventMemberView(Guid Id, string Email);

/// <summary>The fields every event has; shared by the interface (without resolvers) and each event type.</summary>
internal static class LoyaltyEventFields
{
    private static readonly (string Name, Type Type, string Description, Func<EventView, object?> Resolve)[] Common =
    [
        ("id", typeof(NonNullGraphType<IdGraphType>), "The event's stable id (a UUID): deduplicate on it (webhooks carry the same id).",
            e => e.Event.Id.ToString()),
        ("position", typeof(NonNullGraphType<LongGraphType>),
            "Its place in the log: positions only grow, and no event ever appears below one you have read. The edge cursor is this number in decimal; acknowledgeEvents takes it. Positions are shared by all programs, so a program's positions have gaps.",
            e => e.Event.Position),
        ("type", typeof(NonNullGraphType<StringGraphType>), "The catalog name, e.g. `points.earned`.", e => e.Event.Type),
        ("occurredAt", typeof(NonNullGraphType<DateTimeGraphType>), "When it happened (UTC), e.g. the order's date.", e => e.Event.OccurredAt.UtcDateTime),
        ("recordedAt", typeof(NonNullGraphType<DateTimeGraphType>), "When the change that caused it was recorded (UTC).", e => e.Event.RecordedAt.UtcDateTime),
        ("member", typeof(LoyaltyEventMemberType),
            "The member it is about, as the event recorded it (the member may have changed or been deleted since); null for an event about no member.",
            e => e.Member),
    ];

    public static void Add(IComplexGraphType type, bool withResolvers)
    {
        foreach (var (name, graphType, description, resolve) in Common)
            type.AddField(new FieldType
            {
                Name = name,
                Type = graphType,
                Description = description,
                Resolver = withResolvers ? new FuncFieldResolver<EventView, object?>(c => resolve(c.Source)) : null,
            });
    }
}

public sealed class LoyaltyEventInterface : InterfaceGraphType<EventView>
{
    public LoyaltyEventInterface()
    {
        Name = "LoyaltyEvent";
        Description = "A loyalty event of the caller's program, from the durable log. Each catalog type (e.g. `points.earned`) is an object type (e.g. `PointsEarnedEvent`) with the fields a message template needs.";
        LoyaltyEventFields.Add(this, withResolvers: false);
    }
}

/// <summary>A member.updated's segment change (the payload's <see cref="SegmentChangePayload"/>).</summary>
public sealed class LoyaltyEventSegmentChangeType : ObjectGraphType<SegmentChangePayload>
{
    public LoyaltyEventSegmentChangeType()
    {
        Name = "LoyaltyEventSegmentChange";
        Description = "The segment a member left and entered (`Loyal`, `AtRisk`, `WinBack`; null: no segment).";
        Field<StringGraphType>("from").Description("The segment before the change; null: none.").Resolve(c => c.Source.From);
        Field<StringGraphType>("to").Description("The segment after the change; null: none.").Resolve(c => c.Source.To);
    }
}

public sealed class LoyaltyEventMemberType : ObjectGraphType<EventMemberView>
{
    public LoyaltyEventMemberType()
    {
        Name = "LoyaltyEventMember";
        Description = "The member an event is about, as recorded with the event.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the member.").Resolve(c => GlobalId.Encode(MemberType.TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<StringGraphType>>("email").Description("The member's email when the event happened.").Resolve(c => c.Source.Email);
    }
}

/// <summary>
/// One object type per catalog entry, its payload fields read from the payload record's properties (camelCase;
/// <c>MemberId</c> and <c>Email</c> are the <c>member</c> field). Built at schema construction, not scanned.
/// </summary>
[DoNotRegister]
public sealed class LoyaltyEventObjectType : ObjectGraphType<EventView>
{
    public LoyaltyEventObjectType(EventCatalogEntry entry)
    {
        Name = entry.GraphTypeName;
        Description = $"`{entry.Type}`: {entry.Description}";
        Interface<LoyaltyEventInterface>();
        IsTypeOf = o => o is EventView v && v.Event.Type == entry.Type;
        LoyaltyEventFields.Add(this, withResolvers: true);
        foreach (var property in entry.PayloadType.GetProperties())
        {
            if (property.Name is "MemberId" or "Email")
                continue;
            AddField(PayloadField(property, OptionalNames.Contains(property.Name)));
        }
    }

    /// <summary>
    /// Payload names that are nullable in ANY catalog record are nullable in every event type: a client selecting
    /// <c>expiresAt</c> in fragments on several event types needs one type for it (GraphQL's "fields can merge" rule).
    /// </summary>
    private static readonly HashSet<string> OptionalNames = FindOptionalNames();

    private static HashSet<string> FindOptionalNames()
    {
        var nullability = new NullabilityInfoContext();
        return EventCatalog.All.Select(e => e.PayloadType).Distinct()
            .SelectMany(t => t.GetProperties())
            .Where(p => Nullable.GetUnderlyingType(p.PropertyType) is not null || nullability.Create(p).ReadState == NullabilityState.Nullable)
            .Select(p => p.Name)
            .ToHashSet();
    }

    /// <summary>Every catalog type, for the schema to register.</summary>
    public static IEnumerable<LoyaltyEventObjectType> All() => EventCatalog.All.Select(e => new LoyaltyEventObjectType(e));

    private static FieldType PayloadField(PropertyInfo property, bool nullable)
    {
        var clr = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var (graph, convert) = Map(property, clr);
        var optional = nullable;
        return new FieldType
        {
            Name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..],
            Type = optional ? graph : typeof(NonNullGraphType<>).MakeGenericType(graph),
            Description = PayloadFieldDescriptions.For(property.Name),
            Resolver = new FuncFieldResolver<EventView, object?>(c =>
                c.Source.Payload is { } payload && property.GetValue(payload) is { } value ? convert(value) : null),
        };
    }

    private static (Type Graph, Func<object, object?> Convert) Map(PropertyInfo property, Type clr)
    {
        return clr switch
        {
            _ when clr == typeof(Guid) => (typeof(IdGraphType), v => IdOf(property.Name, (Guid)v)),
            _ when clr == typeof(string) => (typeof(StringGraphType), v => v),
            _ when clr == typeof(long) => (typeof(LongGraphType), v => v),
            _ when clr == typeof(int) => (typeof(IntGraphType), v => v),
            _ when clr == typeof(bool) => (typeof(BooleanGraphType), v => v),
            _ when clr == typeof(decimal) => (typeof(DecimalGraphType), v => v),
            _ when clr == typeof(DateTimeOffset) => (typeof(DateTimeGraphType), v => ((DateTimeOffset)v).UtcDateTime),
            _ when clr == typeof(IReadOnlyList<string>) => (typeof(ListGraphType<NonNullGraphType<StringGraphType>>), v => v),
            _ when clr == typeof(SegmentChangePayload) => (typeof(LoyaltyEventSegmentChangeType), v => v),
            _ when clr == typeof(DateOnly) => (typeof(StringGraphType), v => ((DateOnly)v).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new InvalidOperationException($"No GraphQL mapping for {property.DeclaringType!.Name}.{property.Name} ({clr.Name})."),
        };
    }

    /// <summary>Ids of other objects are global ids of their type, so a client can follow them with node(id:).</summary>
    private static string IdOf(string property, Guid id) => property switch
    {
        "FriendId" => GlobalId.Encode(MemberType.TypeName, id.ToString()),
        "RewardId" => GlobalId.Encode(RewardType.TypeName, id.ToString()),
        "TierId" => GlobalId.Encode(TierType.TypeName, id.ToString()),
        _ => id.ToString(),
    };
}

/// <summary>The description of each payload property (one meaning per name across the catalog; a new name needs one here).</summary>
internal static class PayloadFieldDescriptions
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["ChangedFields"] = "The member fields (GraphQL names, e.g. `segment`) this member.updated changed, when the sender knows them; null: not said.",
        ["Segment"] = "A segment change (sent by the segments job); null when the segment did not change.",
        ["FirstName"] = "The member's first name, if known.",
        ["LastName"] = "The member's last name, if known.",
        ["MemberCode"] = "The member's code (e.g. printed on a card).",
        ["Status"] = "The member's status after the change (Active or Blocked).",
        ["Points"] = "The points of the event, positive: earned, spent, lapsed or lapsing, by the event type.",
        ["PointsDelta"] = "The signed change of the spendable balance (negative: points taken away).",
        ["Cause"] = "What changed the balance: `admin` (an adjustment by staff or a service) or `checkout_return` (the points of a checkout discount that ended unused, returned).",
        ["BalanceAfter"] = "The member's spendable (approved) points right after the change.",
        ["Balance"] = "The member's spendable (approved) points when the event happened.",
        ["Kind"] = "For points.earned the ledger entry kind (Earn or Bonus); for rewards and coupons the reward's kind.",
        ["Reason"] = "Why the points were given or changed, when a person or rule gave a reason (webhook.disabled: why the subscription was disabled).",
        ["SourceReference"] = "What the points came from (e.g. an order reference), if anything.",
        ["Channel"] = "Where the order was placed (Online or Pos).",
        ["StoreId"] = "The store's id, if any.",
        ["LocationId"] = "The location (e.g. a till) within the store, if any.",
        ["OrderReference"] = "The store's order reference.",
        ["TransactionReference"] = "The point-of-sale transaction's reference.",
        ["SubscriptionId"] = "The webhook subscription concerned.",
        ["Url"] = "The webhook subscription's URL.",
        ["ConsecutiveFailures"] = "Deliveries that failed in a row before the subscription was disabled.",
        ["Cursor"] = "The last position the webhook subscription delivered; it resumes after it once enabled.",
        ["Amount"] = "The order's amount, in `currency`.",
        ["Currency"] = "ISO 4217 code of the event's amounts (the program's currency).",
        ["PointsEarned"] = "Points the order earned (pending while `pending` is true).",
        ["WelcomeBonus"] = "Welcome bonus points the order gave (a first order), else 0.",
        ["Pending"] = "True while the order's points wait for its return window to pass.",
        ["RefundAmount"] = "The amount this refund gave back.",
        ["RefundedTotal"] = "The total refunded on the order so far.",
        ["FullRefund"] = "True when the order is now refunded in full.",
        ["PointsTakenBack"] = "Points this refund took back.",
        ["CouponCode"] = "The coupon's code.",
        ["RewardId"] = "Global id of the reward.",
        ["RewardName"] = "The reward's name.",
        ["Value"] = "The coupon's or reward's value in `currency`, when it has a fixed value.",
        ["ExpiresAt"] = "When it ends (UTC): the coupon's validity, the points' lapse or the tier period's end, by the event type; null when it does not end.",
        ["PointsSpent"] = "Points spent on it.",
        ["Birthday"] = "The birthday's date this year (ISO `yyyy-MM-dd`).",
        ["Age"] = "The age reached, when the year of birth is known.",
        ["PointsAwarded"] = "Points the birthday reward gave (0 before the day or without a birthday rule).",
        ["RewardCost"] = "The reward's cost in points.",
        ["FriendId"] = "Global id of the referred friend (a member).",
        ["FriendEmail"] = "The referred friend's email.",
        ["FriendPoints"] = "Points the friend received for the purchase (0 when none).",
        ["FriendCouponCode"] = "The coupon code the friend received, if any.",
        ["ExpiredAt"] = "When the points lapsed (UTC).",
        ["ValidThrough"] = "The last day the points can be used, in the program's time zone (ISO `yyyy-MM-dd`).",
        ["DaysBefore"] = "Days left before the points lapse (30, 7 or 3).",
        ["TierId"] = "Global id of the tier now held; null when none.",
        ["TierName"] = "The tier's name: the one now held, or for a reset warning the one about to end; null when none.",
        ["PreviousTierName"] = "The tier held before; null when none.",
        ["TierNameAfter"] = "The tier the member drops to unless they qualify again; null for no tier.",
        ["Metric"] = "The qualifying metric (Spend or PointsEarned).",
        ["Progress"] = "The member's total of the metric in the period.",
        ["ProgressNeededToRenew"] = "How much more of the metric keeps the tier.",
        ["PeriodEndPolicy"] = "What the end of the period does to the tier (the program's policy).",
    };

    public static string For(string property) => Descriptions.TryGetValue(property, out var d)
        ? d
        : throw new InvalidOperationException($"Payload property '{property}' has no description in PayloadFieldDescriptions.");
}

public sealed class LoyaltyEventFilterInputType : InputObjectGraphType<EventFilterArgs>
{
    public LoyaltyEventFilterInputType()
    {
        Name = "LoyaltyEventFilter";
        Description = "Which events to read. Both conditions must hold.";
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("types").Description("Catalog names, e.g. [\"points.earned\"]; null or empty: every type.");
        Field<IdGraphType>("memberId").Description("Global id of a member: only the events about that member.");
    }
}

public sealed record EventFilterArgs(IReadOnlyList<string>? Types, string? MemberId);

public sealed class LoyaltyEventConnectionType : ObjectGraphType<Connection<EventView>>
{
    public LoyaltyEventConnectionType()
    {
        Name = "LoyaltyEventConnection";
        Description = "A page of the event log in position order (Relay cursor connection; forward only, no total count: the log keeps growing).";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeGraphType<LoyaltyEventInterface, EventView>>>>>("edges")
            .Description("The page's edges: each event with its cursor (its position in decimal).")
            .Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LoyaltyEventInterface>>>>("nodes")
            .Description("The page's events, in position order.")
            .Resolve(c => c.Source.Edges?.Select(e => e.Node).ToList());
        Field<NonNullGraphType<PageInfoType>>("pageInfo")
            .Description("`endCursor` is the cursor to pass as `after` next (null on an empty page: keep yours); `hasNextPage` says whether more events exist now.")
            .Resolve(c => c.Source.PageInfo);
    }
}

public sealed class EventConsumerType : ObjectGraphType<EventConsumerView>
{
    public EventConsumerType()
    {
        Name = "EventConsumer";
        Description = "A durable consumer cursor of the caller's program: where a named reader of the event log has got to.";
        Field(c => c.Name).Description("The consumer's name, chosen by it (unique per program).");
        Field<NonNullGraphType<LongGraphType>>("acknowledgedPosition").Description("The highest position it acknowledged: resume with `events(after: \"<this>\")`.").Resolve(c => c.Source.Position);
        Field<NonNullGraphType<LongGraphType>>("lag").Description("How many events of the program are positioned after the acknowledged position (what it has yet to process).").Resolve(c => c.Source.Lag);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Description("Its first acknowledgement (UTC).").Resolve(c => c.Source.CreatedAt.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("updatedAt").Description("When its position last moved (UTC).").Resolve(c => c.Source.UpdatedAt.UtcDateTime);
    }
}

public sealed record AcknowledgeEventsArgs(string Consumer, long Position);

public sealed class AcknowledgeEventsInputType : InputObjectGraphType<AcknowledgeEventsArgs>
{
    public AcknowledgeEventsInputType()
    {
        Name = "AcknowledgeEventsInput";
        Description = "A consumer's progress: every event up to `position` is processed.";
        Field<NonNullGraphType<StringGraphType>>("consumer").Description("The consumer's name (1 to 100 characters), e.g. `esp-sync`.");
        Field<NonNullGraphType<LongGraphType>>("position").Description("The position of the last event processed (an event's `position`, or its cursor as a number). A lower position than the one acknowledged changes nothing.");
    }
}

public sealed record AcknowledgeEventsResult(EventConsumerView? Consumer, IReadOnlyList<UserError> UserErrors);

public sealed class AcknowledgeEventsPayloadType : ObjectGraphType<AcknowledgeEventsResult>
{
    public AcknowledgeEventsPayloadType()
    {
        Name = "AcknowledgeEventsPayload";
        Description = "Result of acknowledgeEvents.";
        Field<EventConsumerType>("consumer").Description("The consumer after the acknowledgement (its position never moves back); null when refused.").Resolve(c => c.Source.Consumer);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty otherwise.").Resolve(c => c.Source.UserErrors);
    }
}
