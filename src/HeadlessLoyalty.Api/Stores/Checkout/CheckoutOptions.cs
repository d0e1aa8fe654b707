namespace HeadlessLoyalty.Api.Stores.Checkout;

/// <summary>The <c>Stores:Checkout</c> configuration section (checkout snippet, app proxy, checkout discounts).</summary>
public sealed class CheckoutOptions
{
    /// <summary>The app proxy's <c>timestamp</c> may differ from our clock by this much. Default 90 s.</summary>
    public TimeSpan ProxyTimestampSkew { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Lifetime of the storefront member token the app proxy hands out. Default 15 minutes.</summary>
    public TimeSpan MemberTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
