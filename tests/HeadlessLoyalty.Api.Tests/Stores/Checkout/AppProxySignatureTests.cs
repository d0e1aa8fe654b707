using HeadlessLoyalty.Api.Stores.Checkout;

namespace HeadlessLoyalty.Api.Tests.Stores.Checkout;

public sealed class AppProxySignatureTests
{
    // Shopify's documented example: secret "hush", a repeated "extra" joined by ','.
    private static readonly Dictionary<string, IReadOnlyList<string>> Documented = new()
    {
        ["extra"] = ["1", "2"],
        ["shop"] = ["shop-name.myshopify.com"],
        ["path_prefix"] = ["/apps/awesome_reviews"],
        ["timestamp"] = ["1317327555"],
        ["signature"] = ["a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef3"],
    };

    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1317327555);

    [Fact]
    public void The_documented_example_verifies_with_its_secret()
    {
        Assert.Equal("extra=1,2path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555", AppProxySignature.Message(Documented));
        Assert.Equal(AppProxyVerdict.Valid, AppProxySignature.Verify(Documented, "hush", SignedAt.AddSeconds(30), TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void Another_secret_a_changed_value_or_no_signature_is_refused()
    {
        Assert.Equal(AppProxyVerdict.Mismatch, AppProxySignature.Verify(Documented, "hush!", SignedAt, TimeSpan.FromSeconds(90)));
        var changed = new Dictionary<string, IReadOnlyList<string>>(Documented) { ["extra"] = ["2", "1"] };
        Assert.Equal(AppProxyVerdict.Mismatch, AppProxySignature.Verify(changed, "hush", SignedAt, TimeSpan.FromSeconds(90)));
        var unsigned = new Dictionary<string, IReadOnlyList<string>>(Documented);
        unsigned.Remove("signature");
        Assert.Equal(AppProxyVerdict.Unsigned, AppProxySignature.Verify(unsigned, "hush", SignedAt, TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void A_timestamp_beyond_the_skew_either_way_is_stale()
    {
        Assert.Equal(AppProxyVerdict.Valid, AppProxySignature.Verify(Documented, "hush", SignedAt.AddSeconds(-90), TimeSpan.FromSeconds(90)));
        Assert.Equal(AppProxyVerdict.Stale, AppProxySignature.Verify(Documented, "hush", SignedAt.AddSeconds(91), TimeSpan.FromSeconds(90)));
        Assert.Equal(AppProxyVerdict.Stale, AppProxySignature.Verify(Documented, "hush", SignedAt.AddSeconds(-91), TimeSpan.FromSeconds(90)));
    }
}
