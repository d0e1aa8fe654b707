namespace HeadlessLoyalty.Api.Tests.TestSupport;

/// <summary>A clock the test moves by hand.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public FixedClock() : this(new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
