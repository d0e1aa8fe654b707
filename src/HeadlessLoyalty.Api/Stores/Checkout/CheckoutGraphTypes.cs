using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Stores.Checkout;

public sealed record CheckoutAmount(decimal Amount, string Currency);

public sealed class CheckoutAmountType : ObjectGraphType<CheckoutAmount>
{
    public CheckoutAmountType()
    {
        Name = "CheckoutAmount";
        Description = "An amount of money in the program's currency.";
        Field<NonNullGraphType<DecimalGraphType>>("amount").Description("The amount, rounded down to the cent.").Resolve(c => c.Source.Amount);
        Field<NonNullGraphType<StringGraphType>>("currency").Description("ISO 4217 currency.").Resolve(c => c.Source.Currency);
    }
}

public sealed class CheckoutDiscountStatusType : EnumerationGraphType
{
    public CheckoutDiscountStatusType()
    {
        Name = "CheckoutDiscountStatus";
        Description = "Where a checkout discount stands.";
        Add("APPLIED", CheckoutDiscountStatus.Applied, "Created on the store and not used yet.");
        Add("USED", CheckoutDiscountStatus.Used, "Used on an order (orderReference names it).");
        Add("RETURNED", CheckoutDiscountStatus.Returned, "Expired unused: deleted on the store and its points returned.");
    }
}

public sealed class CheckoutDiscountType : ObjectGraphType<CheckoutDiscountView>
{
    public const string TypeName = "CheckoutDiscount";

    public CheckoutDiscountType()
    {
        Name = TypeName;
        Description = "Points applied at a store's checkout: a single-use discount on the store, returned if unused before it ends.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the checkout discount.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<IdGraphType>>("connectionId").Description("Global id of the store connection it lives on.").Resolve(c => GlobalId.Encode(StoreConnectionType.TypeName, c.Source.ConnectionId.ToString()));
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member.").Resolve(c => GlobalId.Encode(MemberType.TypeName, c.Source.MemberId.ToString()));
        Field<NonNullGraphType<StringGraphType>>("code").Description("The discount code (the snippet applies it to the cart).").Resolve(c => c.Source.Code);
        Field<NonNullGraphType<LongGraphType>>("points").Description("Points spent on it.").Resolve(c => c.Source.Points);
        Field<NonNullGraphType<CheckoutAmountType>>("value").Description("The amount it takes off the cart.").Resolve(c => new CheckoutAmount(c.Source.Value, c.Source.Currency));
        Field<NonNullGraphType<CheckoutDiscountStatusType>>("status").Description("Where it stands.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Description("When it was created (UTC).").Resolve(c => c.Source.CreatedAt.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("expiresAt").Description("When the code ends on the store (UTC); unused, its points return within an hour or so after (the expiry job).").Resolve(c => c.Source.ExpiresAt.UtcDateTime);
        Field<StringGraphType>("orderReference").Description("The store order it was used on; null until used.").Resolve(c => c.Source.OrderReference);
        Field<DateTimeGraphType>("usedAt").Description("When the order using it was reported (UTC); null until used.").Resolve(c => c.Source.UsedAt?.UtcDateTime);
        Field<DateTimeGraphType>("returnedAt").Description("When its points were returned (UTC); null unless returned.").Resolve(c => c.Source.ReturnedAt?.UtcDateTime);
    }
}

public sealed class CheckoutType : ObjectGraphType<CheckoutQuote>
{
    public CheckoutType()
    {
        Name = "Checkout";
        Description = "What the checkout snippet shows a member on one store: the balance, what it is worth there, and how much one discount may take.";
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member.").Resolve(c => GlobalId.Encode(MemberType.TypeName, c.Source.MemberId.ToString()));
        Field<NonNullGraphType<IdGraphType>>("connectionId").Description("Global id of the store connection the values are for.").Resolve(c => GlobalId.Encode(StoreConnectionType.TypeName, c.Source.ConnectionId.ToString()));
        Field<NonNullGraphType<LongGraphType>>("balance").Description("Points the member can spend now (0 when blocked).").Resolve(c => c.Source.Balance);
        Field<NonNullGraphType<CheckoutAmountType>>("worth").Description("What the whole balance is worth on this store (balance x pointValue).").Resolve(c => new CheckoutAmount(c.Source.Worth, c.Source.Currency));
        Field<NonNullGraphType<DecimalGraphType>>("pointValue").Description("Value of one point on this store.").Resolve(c => c.Source.PointValue);
        Field<NonNullGraphType<LongGraphType>>("minPoints").Description("Fewest points one discount spends.").Resolve(c => c.Source.MinPoints);
        Field<LongGraphType>("maxPoints").Description("Most points one discount spends; null for no maximum.").Resolve(c => c.Source.MaxPoints);
        Field<NonNullGraphType<LongGraphType>>("maxRedeemablePoints").Description("The most points the member can apply now (0 below the minimum).").Resolve(c => c.Source.MaxRedeemablePoints);
        Field<NonNullGraphType<CheckoutAmountType>>("maxRedeemableWorth").Description("What maxRedeemablePoints take off.").Resolve(c => new CheckoutAmount(c.Source.MaxRedeemableWorth, c.Source.Currency));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CheckoutDiscountType>>>>("openDiscounts").Description("The member's discounts on this store that are applied, unused and not ended, oldest first.").Resolve(c => c.Source.OpenDiscounts);
    }
}

public sealed class ApplyPointsAtCheckoutArgs
{
    public MemberLookupArgs? Member { get; set; }
    public string? ConnectionId { get; set; }
    public long Points { get; set; }
    public string IdempotencyKey { get; set; } = "";
}

public sealed class ApplyPointsAtCheckoutInputType : InputObjectGraphType<ApplyPointsAtCheckoutArgs>
{
    public ApplyPointsAtCheckoutInputType()
    {
        Name = "ApplyPointsAtCheckoutInput";
        Description = "Points to turn into a discount on a store's checkout. A storefront token applies its own member's points; staff name the member.";
        Field<MemberLookupInputType>("member").Description("The member (required for staff; a storefront may leave it out).");
        Field<IdGraphType>("connectionId").Description("Global id of the store connection (default: the member's store).");
        Field<NonNullGraphType<LongGraphType>>("points").Description("Points to spend, within the store's minRedeemPoints and maxRedeemPoints.");
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Retry key (required): a retry returns the first discount and spends nothing more.");
    }
}

public sealed record ApplyPointsAtCheckoutResult(CheckoutDiscountView? Discount, BalanceView? Balance, IReadOnlyList<UserError> UserErrors);

public sealed class ApplyPointsAtCheckoutPayloadType : ObjectGraphType<ApplyPointsAtCheckoutResult>
{
    public ApplyPointsAtCheckoutPayloadType()
    {
        Name = "ApplyPointsAtCheckoutPayload";
        Description = "Result of applyPointsAtCheckout.";
        Field<CheckoutDiscountType>("discount").Description("The discount created on the store; null when refused.").Resolve(c => c.Source.Discount);
        Field<BalanceType>("balance").Description("The balance right after the deduction; null when refused.").Resolve(c => c.Source.Balance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}
