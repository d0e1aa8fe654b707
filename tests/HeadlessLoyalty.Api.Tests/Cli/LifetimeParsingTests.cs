using HeadlessLoyalty.Api.Cli;

namespace HeadlessLoyalty.Api.Tests.Cli;

public sealed class LifetimeParsingTests
{
    [Theory]
    [InlineData("30m", 1800)]
    [InlineData("12h", 43200)]
    [InlineData("7d", 604800)]
    [InlineData("01:30:00", 5400)]
    public void Lifetimes_read_as_short_durations_or_time_spans(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TokenVerb.ParseLifetime(text));

    [Theory]
    [InlineData("0h")]
    [InlineData("-1h")]
    [InlineData("soon")]
    [InlineData("5y")]
    public void Zero_negative_or_unreadable_lifetimes_are_refused(string text) =>
        Assert.Null(TokenVerb.ParseLifetime(text));
}
