using GraphQL.DataLoader;
using HeadlessLoyalty.GraphQL.DataLoading;

namespace HeadlessLoyalty.GraphQL.Tests.DataLoading;

public sealed class DataLoaderResultExtensionsTests
{
    private sealed class CountingLoader() : BatchingLoader<int, int>(null, null)
    {
        public List<IReadOnlyList<int>> Batches { get; } = [];

        protected override Task<Func<int, int>> FetchAsync(IReadOnlyList<int> keys, CancellationToken cancellationToken)
        {
            Batches.Add(keys.ToArray());
            return Task.FromResult<Func<int, int>>(k => k * 2);
        }
    }

    [Fact]
    public async Task Then_maps_the_value_without_dispatching_before_the_result_is_asked_for()
    {
        var loader = new CountingLoader();
        var mapped = loader.LoadAsync(1).Then(v => $"v{v}");
        var other = loader.LoadAsync(2); // queued after the mapping was built: still in the same batch

        Assert.Empty(loader.Batches);
        Assert.Equal("v2", await mapped.GetResultAsync());
        Assert.Equal(4, await other.GetResultAsync());
        Assert.Equal([1, 2], Assert.Single(loader.Batches));
    }

    [Fact]
    public async Task The_asynchronous_overload_can_await_another_queued_load_and_the_untyped_view_agrees()
    {
        var first = new CountingLoader();
        var second = new CountingLoader();
        var b = second.LoadAsync(5);
        IDataLoaderResult combined = first.LoadAsync(3).Then(async (a, ct) => a + await b.GetResultAsync(ct));

        Assert.Equal(16, await combined.GetResultAsync());
        Assert.Single(first.Batches);
        Assert.Single(second.Batches);
    }

    [Fact]
    public async Task A_failing_fetch_fails_the_mapped_result()
    {
        var failing = new BatchLoader<int, int>((_, _) => throw new InvalidOperationException("down"));
        var mapped = failing.LoadAsync(1).Then(v => v + 1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => mapped.GetResultAsync());
        Assert.Equal("down", error.Message);
    }
}
