using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using HeadlessLoyalty.Api.Webhooks;
using Microsoft.Extensions.Configuration;

namespace HeadlessLoyalty.Api.Tests.Webhooks;

public sealed class WebhookRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_signature_is_the_hex_hmac_sha256_of_timestamp_dot_body_keyed_with_the_secret()
    {
        const string secret = "whsec_test";
        var body = Encoding.UTF8.GetBytes("{\"id\":\"x\"}");
        var ts = Now.ToUnixTimeSeconds();

        var header = WebhookSignature.Header(secret, ts, body);

        // Recomputed the way the README's snippet does it, independently of the implementation.
        var expected = Convert.ToHexString(new HMACSHA256(Encoding.UTF8.GetBytes(secret)).ComputeHash(Encoding.UTF8.GetBytes($"{ts}.{{\"id\":\"x\"}}"))).ToLowerInvariant();
        Assert.Equal($"t={ts.ToString(CultureInfo.InvariantCulture)},v1={expected}", header);
        Assert.True(WebhookSignature.Verify(secret, header, body, Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verification_refuses_another_body_another_secret_an_old_timestamp_and_garbage()
    {
        const string secret = "whsec_test";
        var body = Encoding.UTF8.GetBytes("{\"points\":10}");
        var header = WebhookSignature.Header(secret, Now.ToUnixTimeSeconds(), body);

        Assert.False(WebhookSignature.Verify(secret, header, Encoding.UTF8.GetBytes("{\"points\":1000}"), Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_other", header, body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(secret, header, body, Now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(secret, header, body, Now.AddMinutes(4), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(secret, "v1=abc", body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(secret, null, body, Now, TimeSpan.FromMinutes(5)));
        // A replayed body under a new timestamp needs a new signature.
        var replay = header.Replace($"t={Now.ToUnixTimeSeconds()}", $"t={Now.ToUnixTimeSeconds() + 60}");
        Assert.False(WebhookSignature.Verify(secret, replay, body, Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Secrets_are_random_prefixed_and_long()
    {
        var a = WebhookSignature.NewSecret();
        var b = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", a);
        Assert.NotEqual(a, b);
        Assert.True(a.Length >= 6 + 43, a);
    }

    [Fact]
    public void The_default_schedule_waits_1m_5m_30m_2h_6h_15h_and_then_repeats_the_last_step()
    {
        var schedule = new WebhooksOptions().Schedule;
        var waits = Enumerable.Range(1, 8).Select(n => WebhookRetryRules.NextDelay(schedule, n, null)).ToList();

        Assert.Equal(new[] { 1, 5, 30, 120, 360, 900, 900, 900 }.Select(m => TimeSpan.FromMinutes(m)), waits);
        // About a day in total before the default disabling (after the 7th failure: six waits).
        Assert.Equal(TimeSpan.FromMinutes(1 + 5 + 30 + 120 + 360 + 900), waits.Take(new WebhooksOptions().DisableAfterFailures - 1).Aggregate(TimeSpan.Zero, (x, y) => x + y));
    }

    [Fact]
    public void A_configured_schedule_replaces_the_default_instead_of_extending_it()
    {
        var options = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:RetrySchedule:0"] = "00:00:10", ["Webhooks:RetrySchedule:1"] = "00:02:00" })
            .Build().GetSection("Webhooks").Get<WebhooksOptions>()!;

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2)], options.Schedule);
        Assert.Equal(TimeSpan.FromMinutes(2), WebhookRetryRules.NextDelay(options.Schedule, 5, null));
    }

    [Fact]
    public void Retry_after_longer_than_the_step_wins_and_a_shorter_one_does_not_hurry_the_schedule()
    {
        var schedule = new WebhooksOptions().Schedule;
        Assert.Equal(TimeSpan.FromMinutes(10), WebhookRetryRules.NextDelay(schedule, 1, TimeSpan.FromMinutes(10)));
        Assert.Equal(TimeSpan.FromMinutes(5), WebhookRetryRules.NextDelay(schedule, 2, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(6, 7, false)]
    [InlineData(7, 7, true)]
    [InlineData(1, 1, true)]
    [InlineData(1, 0, true)]
    public void A_subscription_is_disabled_at_the_configured_number_of_failures(int failures, int threshold, bool disabled) =>
        Assert.Equal(disabled, WebhookRetryRules.ShouldDisable(failures, threshold));

    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/hook")]
    [InlineData("example.com/hook")]
    [InlineData("https://user:pass@example.com/hook")]
    [InlineData("https://example.com/hook#frag")]
    [InlineData("")]
    [InlineData("gopher://example.com")]
    public void Urls_that_are_not_absolute_http_or_https_are_invalid(string url) =>
        Assert.Throws<WebhookUrlInvalidException>(() => WebhookUrlGuard.Validate(url, allowLoopback: true));

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://127.1.2.3:8080/hook")]
    [InlineData("http://localhost:5000/hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://10.0.0.5/hook")]
    [InlineData("http://172.16.3.4/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fc00::1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://[64:ff9b::a00:1]/hook")]
    [InlineData("http://224.0.0.1/hook")]
    [InlineData("http://2130706433/hook")] // 127.0.0.1 as one number
    public void Loopback_private_and_link_local_targets_are_forbidden(string url) =>
        Assert.Throws<WebhookUrlForbiddenException>(() => WebhookUrlGuard.Validate(url, allowLoopback: false));

    [Theory]
    [InlineData("https://hooks.example.com/loyalty")]
    [InlineData("http://93.184.216.34:8080/hook")]
    [InlineData("https://[2606:4700::1111]/hook")]
    public void Public_http_and_https_targets_are_accepted(string url) =>
        Assert.Equal(url, WebhookUrlGuard.Validate(url, allowLoopback: false).OriginalString);

    [Theory]
    [InlineData("http://127.0.0.1:5000/hook", true)]
    [InlineData("http://localhost:5000/hook", true)]
    [InlineData("http://[::1]:5000/hook", true)]
    [InlineData("http://10.0.0.5/hook", false)]
    [InlineData("http://169.254.169.254/", false)]
    public void The_development_option_allows_loopback_only(string url, bool allowed)
    {
        if (allowed)
            WebhookUrlGuard.Validate(url, allowLoopback: true);
        else
            Assert.Throws<WebhookUrlForbiddenException>(() => WebhookUrlGuard.Validate(url, allowLoopback: true));
    }

    [Fact]
    public async Task At_connect_time_a_name_resolving_to_loopback_is_refused_before_any_connection()
    {
        var e = await Assert.ThrowsAsync<WebhookAddressForbiddenException>(async () =>
            await WebhookUrlGuard.ConnectAsync(new DnsEndPoint("localhost", 9), allowLoopback: false, CancellationToken.None));
        Assert.Contains("loopback", e.Message);
    }
}
