using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Tests.Idempotency;

public sealed class CanonicalHashTests
{
    [Fact]
    public void Equal_inputs_hash_equal_and_the_hash_is_sha256_hex()
    {
        var id = Guid.NewGuid();
        var h = Idempotent.Hash(new AdjustPointsInput(id, 5, "r"));
        Assert.Equal(h, Idempotent.Hash(new AdjustPointsInput(id, 5, "r")));
        Assert.Matches("^[0-9a-f]{64}$", h);
    }

    [Fact]
    public void Any_field_difference_changes_the_hash()
    {
        var id = Guid.NewGuid();
        var h = Idempotent.Hash(new AdjustPointsInput(id, 5, "r"));
        Assert.NotEqual(h, Idempotent.Hash(new AdjustPointsInput(id, 6, "r")));
        Assert.NotEqual(h, Idempotent.Hash(new AdjustPointsInput(id, 5, "r2")));
        Assert.NotEqual(h, Idempotent.Hash(new AdjustPointsInput(id, 5, "r", AllowNegative: true)));
    }

    [Fact]
    public void Property_order_does_not_matter_at_any_depth()
    {
        Assert.Equal(
            Idempotent.Hash(new { a = 1, b = new { x = "1", y = new[] { 1, 2 } } }),
            Idempotent.Hash(new { b = new { y = new[] { 1, 2 }, x = "1" }, a = 1 }));
        Assert.NotEqual(
            Idempotent.Hash(new { y = new[] { 1, 2 } }),
            Idempotent.Hash(new { y = new[] { 2, 1 } }));
    }
}
