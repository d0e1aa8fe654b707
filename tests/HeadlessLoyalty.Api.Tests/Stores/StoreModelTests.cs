using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Stores;

/// <summary>The store-connection model: URL rules, encrypted secrets, and the ingest's tenant-less look-up.</summary>
public sealed class StoreModelTests
{
    [Theory]
    [InlineData("https://Shop.Example.com/", "https://shop.example.com")]
    [InlineData("https://shop.example.com:443/wp/", "https://shop.example.com/wp")]
    [InlineData("https://shop.example.com:8443", "https://shop.example.com:8443")]
    [InlineData("HTTPS://my-shop.myshopify.com", "https://my-shop.myshopify.com")]
    public void Store_urls_have_one_normal_form(string url, string expected) =>
        Assert.Equal(expected, StoreUrls.Normalize(url, allowLoopbackHttp: false));

    [Theory]
    [InlineData("http://shop.example.com", false)]
    [InlineData("http://127.0.0.1:8080", false)]
    [InlineData("http://10.0.0.1", true)]
    [InlineData("ftp://shop.example.com", true)]
    [InlineData("https://user:pw@shop.example.com", true)]
    [InlineData("https://shop.example.com/?a=1", true)]
    [InlineData("shop.example.com", true)]
    [InlineData("", true)]
    public void Store_urls_are_https_only_and_loopback_http_only_with_the_switch(string url, bool allowLoopbackHttp)
    {
        var e = Assert.Throws<StoreUrlInvalidException>(() => StoreUrls.Normalize(url, allowLoopbackHttp));
        Assert.Equal(ErrorCodes.StoreUrlInvalid, e.Code);
        Assert.Equal("url", e.Field);
    }

    [Fact]
    public void Loopback_http_is_accepted_with_the_development_switch() =>
        Assert.Equal("http://127.0.0.1:8080", StoreUrls.Normalize("http://127.0.0.1:8080/", allowLoopbackHttp: true));

    [Fact]
    public void Woocommerce_secrets_are_alphanumeric_and_unique()
    {
        var a = StoreSecrets.NewWooCommerceSecret();
        Assert.Equal(40, a.Length);
        Assert.All(a, ch => Assert.True(char.IsAsciiLetterOrDigit(ch)));
        Assert.NotEqual(a, StoreSecrets.NewWooCommerceSecret());
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_ingest_finds_a_connection_without_a_tenant_with_its_decrypted_secret(string provider)
    {
        await using var app = await LoyaltyApiFactory.StartAsync(Enum.Parse<DatabaseProvider>(provider, ignoreCase: true));
        var slug = NewSlug("st");
        await app.CreateProgramAsync(slug);
        var id = Guid.NewGuid();
        var secrets = app.Services.GetRequiredService<StoreSecrets>();
        await app.WithTenantAsync(slug, async db =>
        {
            db.StoreConnections.Add(new StoreConnection
            {
                Id = id, Platform = StorePlatform.WooCommerce, Url = "https://shop.example.com", Status = StoreConnectionStatus.Active,
                ProtectedCredentials = secrets.ProtectCredentials(new StoreCredentials("ck_1", "cs_1", null, null)),
                ProtectedWebhookSecret = secrets.ProtectWebhookSecret("abc123"), WebhookIds = "7",
                AwardOn = StoreAwardOn.CompletedOnly, ConnectedAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });
        var stored = await app.WithTenantlessDb(db => db.StoreConnections.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.DoesNotContain("abc123", stored.ProtectedWebhookSecret);
        Assert.DoesNotContain("cs_1", stored.ProtectedCredentials);
        Assert.Equal("cs_1", secrets.UnprotectCredentials(stored.ProtectedCredentials!).ConsumerSecret);

        var (target, wrongPlatform, unknown) = await app.WithScopeAsync(async sp =>
        {
            var targets = sp.GetRequiredService<StoreWebhookTargets>();
            return (await targets.FindAsync(id, StorePlatform.WooCommerce), await targets.FindAsync(id, StorePlatform.Shopify), await targets.FindAsync(Guid.NewGuid(), StorePlatform.WooCommerce));
        });
        Assert.NotNull(target);
        Assert.Equal("abc123", target.WebhookSecret);
        Assert.Equal(stored.ProgramId, target.ProgramId);
        Assert.Equal(StoreAwardOn.CompletedOnly, target.AwardOn);
        Assert.True(target.IsLive);
        Assert.Equal(id.ToString("D"), target.StoreKey);
        Assert.Null(wrongPlatform);
        Assert.Null(unknown);

        var at = app.Clock.GetUtcNow().AddMinutes(5);
        Assert.Equal(1, await app.WithScopeAsync(sp => sp.GetRequiredService<StoreWebhookTargets>().TouchLastDeliveryAsync(id, at)));
        Assert.Equal(0, await app.WithScopeAsync(sp => sp.GetRequiredService<StoreWebhookTargets>().TouchLastDeliveryAsync(id, at.AddMinutes(-1))));
        var after = await app.WithScopeAsync(sp => sp.GetRequiredService<StoreWebhookTargets>().FindAsync(id, StorePlatform.WooCommerce));
        Assert.Equal(at, after!.LastDeliveryAt);
    }
}
