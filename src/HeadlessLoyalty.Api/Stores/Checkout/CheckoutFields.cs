using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Rewards;

namespace HeadlessLoyalty.Api.Stores.Checkout;

/// <summary>The checkout snippet's fields: <c>checkout</c> and <c>applyPointsAtCheckout</c> (storefront for its own member; pos and admin for any).</summary>
public static class CheckoutFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<CheckoutType>("checkout")
            .Description("The member's balance and what it is worth at a store's checkout, under the connection's points-discount settings; null with an error (STORE_NOT_RESOLVED, STORE_CONNECTION_NOT_FOUND, MEMBER_NOT_FOUND) when there is no such checkout (storefront for its own member, pos, admin).")
            .AuthorizeWithRoles(Roles.Storefront, Roles.Pos, Roles.Admin)
            .Argument<MemberLookupInputType>("member", "The member (required for staff; a storefront may leave it out).")
            .Argument<IdGraphType>("connectionId", "Global id of the store connection (default: the member's store).")
            .ResolveAsync(async c => await ResolveContextExtensions.QueryAsync(async () =>
            {
                var memberId = await RewardFields.MemberIdAsync(c, c.Db(), c.GetArgument<MemberLookupArgs?>("member"));
                return await Ops(c).QuoteAsync(memberId, ConnectionId(c.GetArgument<string?>("connectionId")), c.CancellationToken);
            }));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ApplyPointsAtCheckoutPayloadType>>("applyPointsAtCheckout")
            .Description("Turns points into a single-use discount on the store's checkout (Shopify: limited to the member's customer; WooCommerce: fixed cart, the member's email), deducting them in the same step; a store failure deducts nothing. Unused, it ends after the store's couponValidityDays (default 7) and its points return (storefront for its own member, pos, admin).")
            .AuthorizeWithRoles(Roles.Storefront, Roles.Pos, Roles.Admin)
            .Argument<NonNullGraphType<ApplyPointsAtCheckoutInputType>>("input", "The points and the store.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ApplyPointsAtCheckoutArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var memberId = await RewardFields.MemberIdAsync(c, c.Db(), input.Member);
                    var payload = await Ops(c).ApplyAsync(c.Caller().Actor, new ApplyCheckoutInput(memberId, ConnectionId(input.ConnectionId), input.Points), input.IdempotencyKey, c.CancellationToken);
                    return new ApplyPointsAtCheckoutResult(payload.Discount, payload.Balance, []);
                }, errors => new ApplyPointsAtCheckoutResult(null, null, errors));
            });
    }

    private static Guid? ConnectionId(string? globalId) =>
        globalId is null ? null : ResolveContextExtensions.ParseGlobalId(globalId, StoreConnectionType.TypeName, "connectionId");

    private static CheckoutOperations Ops(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<CheckoutOperations>();
}
