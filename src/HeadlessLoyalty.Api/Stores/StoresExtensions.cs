namespace HeadlessLoyalty.Api.Stores;

public static class StoresExtensions
{
    /// <summary>Store connections: options (<c>Stores</c> section), secrets, the webhook ingest's connection look-up, the store API clients, the operations and the store side of redeemCoupon.</summary>
    public static WebApplicationBuilder AddLoyaltyStores(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StoresOptions>().BindConfiguration("Stores");
        services.AddSingleton<StoreSecrets>();
        services.AddScoped<StoreWebhookTargets>();
        services.AddStoreHttpClient();
        services.AddSingleton<WooCommerce.WooCommerceClient>();
        services.AddSingleton<Shopify.ShopifyClient>();
        services.AddScoped<StoreOperations>();
        // redeemCoupon's store side (RewardFields resolves IStoreCoupons when registered).
        services.AddScoped<Rewards.IStoreCoupons, StoreCouponService>();
        return builder;
    }
}
