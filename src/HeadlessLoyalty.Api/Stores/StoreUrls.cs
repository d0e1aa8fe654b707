namespace HeadlessLoyalty.Api.Stores;

/// <summary>Store URL rules: HTTPS only (loopback http only with <see cref="StoresOptions.AllowLoopbackHttp"/>), one normal form.</summary>
public static class StoreUrls
{
    /// <summary>
    /// The normal form of a store URL: lower-case scheme and host, default port dropped, path kept (a WordPress in a
    /// sub-folder) without its trailing slash, no query or fragment. Throws <see cref="StoreUrlInvalidException"/>.
    /// </summary>
    public static string Normalize(string? url, bool allowLoopbackHttp)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Trim().Length > StoreConnection.MaxUrlLength
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new StoreUrlInvalidException("The store URL must be an absolute https URL.");
        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new StoreUrlInvalidException("The store URL must not carry credentials, a query or a fragment.");
        if (uri.Scheme == "http" && !(allowLoopbackHttp && uri.IsLoopback))
            throw new StoreUrlInvalidException("Store URLs must use https (credentials travel with every request).");
        var port = uri.IsDefaultPort ? "" : $":{uri.Port}";
        var path = uri.AbsolutePath.TrimEnd('/');
        return $"{uri.Scheme}://{uri.Host.ToLowerInvariant()}{port}{path}";
    }

    /// <summary>The platform's segment in webhook delivery URLs.</summary>
    public static string PathSegment(StorePlatform platform) => platform switch
    {
        StorePlatform.WooCommerce => "woocommerce",
        StorePlatform.Shopify => "shopify",
        _ => throw new ArgumentOutOfRangeException(nameof(platform)),
    };
}
