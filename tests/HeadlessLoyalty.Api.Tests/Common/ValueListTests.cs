using System.Text.Json;
using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Tests.Common;

public sealed class ValueListTests
{
    private sealed record Holder(string Name, ValueList<int> Items);

    [Fact]
    public void Records_holding_equal_items_are_equal_and_different_items_are_not()
    {
        Assert.Equal(new Holder("a", new([1, 2])), new Holder("a", new([1, 2])));
        Assert.Equal(new Holder("a", new([1, 2])).GetHashCode(), new Holder("a", new([1, 2])).GetHashCode());
        Assert.NotEqual(new Holder("a", new([1, 2])), new Holder("a", new([2, 1])));
        Assert.NotEqual(new Holder("a", new([1])), new Holder("a", ValueList<int>.Empty));
    }

    [Fact]
    public void It_is_a_json_array_both_ways()
    {
        var json = JsonSerializer.Serialize(new Holder("a", new([3, 4])));
        var back = JsonSerializer.Deserialize<Holder>(json);

        Assert.Equal("""{"Name":"a","Items":[3,4]}""", json);
        Assert.Equal(new Holder("a", new([3, 4])), back);
    }
}
