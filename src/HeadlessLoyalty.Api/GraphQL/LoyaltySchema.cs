using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Referrals;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Segments;
using HeadlessLoyalty.Api.Tenancy;
using HeadlessLoyalty.Api.Tiers;
using HeadlessLoyalty.Api.Webhooks;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.GraphQL;

/// <summary>The loyalty API's schema: each feature folder adds its root fields here.</summary>
public sealed class LoyaltySchema : Schema
{
    public LoyaltySchema(IServiceProvider services, QueryType query, MutationType mutation, SubscriptionType subscription) : base(services)
    {
        Description = "HeadlessLoyalty: members, points, tiers and rewards of one loyalty program per token.";
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        // The built-in scalars, described as this API uses them (registered by name, they replace the defaults).
        RegisterType(new LongGraphType { Description = "A 64-bit signed integer: points and member numbers." });
        RegisterType(new DecimalGraphType { Description = "A decimal number, exact (no binary rounding), e.g. 1.25." });
        RegisterType(new DateTimeGraphType
        {
            Description = "An instant in ISO-8601, always UTC in output (e.g. `2026-11-23T09:00:00Z`); an input without an offset is taken as UTC.",
        });
        // One object type per event type of the catalog (built from the payload records, not found by scanning).
        foreach (var eventType in LoyaltyEventObjectType.All())
            RegisterType(eventType);
    }
}

public sealed class QueryType : ObjectGraphType
{
    public QueryType(NodeResolverRegistry nodes)
    {
        Name = "Query";
        Description = "Reads, all scoped to the caller's program.";
        MemberFields.AddQueries(this);
        TierFields.AddQueries(this);
        ProgramFields.AddQueries(this);
        PurchaseFields.AddQueries(this);
        RewardFields.AddQueries(this);
        SegmentFields.AddQueries(this);
        ExpiryFields.AddQueries(this);
        ActivityFields.AddQueries(this);
        JobFields.AddQueries(this);
        ReferralFields.AddQueries(this);
        EventFields.AddQueries(this);
        WebhookFields.AddQueries(this);
        Stores.Ingest.StoreDeliveryFields.AddQueries(this);
        Stores.StoreFields.AddQueries(this);
        Stores.Checkout.CheckoutFields.AddQueries(this);
        Stores.Pos.PosFields.AddQueries(this);
        this.AddNodeField(nodes).AuthorizeWithRoles(Auth.Roles.All.ToArray());
    }
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        Description = "Changes. Each returns a payload with `userErrors`; a refused change changes nothing.";
        MemberFields.AddMutations(this);
        PointsFields.AddMutations(this);
        PurchaseFields.AddMutations(this);
        TierFields.AddMutations(this);
        RewardFields.AddMutations(this);
        SegmentFields.AddMutations(this);
        ExpiryFields.AddMutations(this);
        ActivityFields.AddMutations(this);
        JobFields.AddMutations(this);
        ReferralFields.AddMutations(this);
        EventFields.AddMutations(this);
        WebhookFields.AddMutations(this);
        Stores.StoreFields.AddMutations(this);
        Stores.Checkout.CheckoutFields.AddMutations(this);
        Stores.Pos.PosFields.AddMutations(this);
    }
}

public sealed class SubscriptionType : ObjectGraphType
{
    public SubscriptionType()
    {
        Name = "Subscription";
        Description = "Live streams, over graphql-transport-ws (WebSocket) or graphql-sse at the GraphQL endpoint, scoped to the caller's program.";
        EventSubscriptionFields.AddSubscriptions(this);
    }
}
