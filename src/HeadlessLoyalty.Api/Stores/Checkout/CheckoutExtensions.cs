namespace HeadlessLoyalty.Api.Stores.Checkout;

public static class CheckoutExtensions
{
    /// <summary>Checkout on connected stores: options (<c>Stores:Checkout</c>), the operations and the store coupon service they create discounts with.</summary>
    public static WebApplicationBuilder AddLoyaltyCheckout(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CheckoutOptions>().BindConfiguration("Stores:Checkout");
        builder.Services.AddScoped<StoreCouponService>();
        builder.Services.AddScoped<StoreDiscountUsage>();
        builder.Services.AddScoped<CheckoutOperations>();
        return builder;
    }
}
