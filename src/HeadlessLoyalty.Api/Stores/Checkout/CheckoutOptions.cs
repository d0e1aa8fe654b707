namespace HeadlessLoyalty.Api.Stores.Checkout;

/// <summary>The <c>Stores:Checkout</c> configuration section (checkout snippet, app proxy, checkout discounts).</summary>
public sealed class CheckoutOptions
{
    /// <summary>
    /// How long a discount made by <c>applyPointsAtCheckout</c> stays usable on the store. An unused one then expires:
    /// the <c>checkout-discount-expiry</c> job deletes it on the store and returns its points. Default 2 hours.
    /// </summary>
    public TimeSpan DiscountLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The app proxy's <c>timestamp</c> may differ from our clock by this much. Default 90 s.</summary>
    public TimeSpan ProxyTimestampSkew { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Lifetime of the storefront member token the app proxy hands out. Default 15 minutes.</summary>
    public TimeSpan MemberTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
