using GraphQL.DataLoader;
using HeadlessLoyalty.GraphQL.DataLoading;

namespace HeadlessLoyalty.GraphQL.Tests.DataLoading;

public sealed class BatchLoaderTests
{
    private readonly List<IReadOnlyList<int>> _calls = [];

    private Task<IDictionary<int, string>> Fetch(IReadOnlyList<int> keys, CancellationToken ct)
    {
        lock (_calls)
            _calls.Add(keys.ToArray());
        return Task.FromResult<IDictionary<int, string>>(keys.Where(k => k != 404).ToDictionary(k => k, k => $"v{k}"));
    }

    [Fact]
    public async Task Pending_keys_are_deduplicated_and_fetched_in_one_call()
    {
        var loader = new BatchLoader<int, string>(Fetch);
        var results = new[] { 1, 2, 1, 3, 2 }.Select(loader.LoadAsync).ToList();

        var values = await Task.WhenAll(results.Select(r => r.GetResultAsync()));

        Assert.Equal(new string?[] { "v1", "v2", "v1", "v3", "v2" }, values);
        var call = Assert.Single(_calls);
        Assert.Equal([1, 2, 3], call);
    }

    [Fact]
    public async Task Nothing_is_fetched_until_a_result_is_awaited()
    {
        var loader = new BatchLoader<int, string>(Fetch);
        var pending = loader.LoadAsync(1);

        Assert.Empty(_calls);
        Assert.Equal("v1", await pending.GetResultAsync());
        Assert.Single(_calls);
    }

    [Fact]
    public async Task Keys_already_loaded_come_from_the_request_cache()
    {
        var loader = new BatchLoader<int, string>(Fetch);
        await loader.LoadAsync(1).GetResultAsync();

        var again = await loader.LoadAsync(1).GetResultAsync();
        var mixed = await Task.WhenAll(loader.LoadAsync(1).GetResultAsync(), loader.LoadAsync(2).GetResultAsync());

        Assert.Equal("v1", again);
        Assert.Equal(new string?[] { "v1", "v2" }, mixed);
        Assert.Equal(2, _calls.Count);
        Assert.Equal([2], _calls[1]);
    }

    [Fact]
    public async Task Missing_keys_resolve_to_null()
    {
        var loader = new BatchLoader<int, string>(Fetch);

        Assert.Null(await loader.LoadAsync(404).GetResultAsync());
    }

    [Fact]
    public async Task Max_batch_size_splits_the_pending_keys()
    {
        var loader = new BatchLoader<int, string>(Fetch, maxBatchSize: 2);
        var results = Enumerable.Range(1, 5).Select(loader.LoadAsync).ToList();

        foreach (var result in results)
            await result.GetResultAsync();

        Assert.Equal([[1, 2], [3, 4], [5]], _calls.Select(c => c.ToArray()));
    }

    [Fact]
    public async Task A_failed_fetch_fails_every_waiting_result()
    {
        var calls = 0;
        var loader = new BatchLoader<int, string>((_, _) =>
        {
            calls++;
            return Task.FromException<IDictionary<int, string>>(new InvalidOperationException("database down"));
        });
        var first = loader.LoadAsync(1);
        var second = loader.LoadAsync(2);

        var error1 = await Assert.ThrowsAsync<InvalidOperationException>(() => first.GetResultAsync());
        var error2 = await Assert.ThrowsAsync<InvalidOperationException>(() => second.GetResultAsync());

        Assert.Equal("database down", error1.Message);
        Assert.Same(error1, error2);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_fetch_that_throws_synchronously_is_reported_the_same_way()
    {
        var loader = new BatchLoader<int, string>((_, _) => throw new InvalidOperationException("bad mapping"));
        var result = loader.LoadAsync(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => result.GetResultAsync());
    }

    [Fact]
    public async Task Keys_requested_while_a_batch_is_in_flight_form_the_next_batch()
    {
        var gate = new TaskCompletionSource();
        var batches = new List<int[]>();
        BatchLoader<int, int>? loader = null;
        loader = new BatchLoader<int, int>(async (keys, _) =>
        {
            batches.Add(keys.ToArray());
            if (batches.Count == 1)
                await gate.Task;
            return keys.ToDictionary(k => k, k => k * 2);
        });
        var first = loader.LoadAsync(1).GetResultAsync();
        var late = loader.LoadAsync(2);
        gate.SetResult();

        Assert.Equal(2, await first);
        Assert.Equal(4, await late.GetResultAsync());
        Assert.Equal([[1], [2]], batches);
    }

    [Fact]
    public async Task Concurrent_loads_from_many_threads_end_in_one_batch()
    {
        var loader = new BatchLoader<int, string>(Fetch);
        var results = new IDataLoaderResult<string?>[200];

        Parallel.For(0, results.Length, i => results[i] = loader.LoadAsync(i % 100));
        var values = await Task.WhenAll(results.Select(r => r.GetResultAsync()));

        var call = Assert.Single(_calls);
        Assert.Equal(Enumerable.Range(0, 100), call.Order());
        Assert.Equal(results.Select((_, i) => $"v{i % 100}"), values);
    }

    [Fact]
    public async Task Non_generic_result_interface_returns_the_value()
    {
        IDataLoaderResult result = new BatchLoader<int, string>(Fetch).LoadAsync(5);

        Assert.Equal("v5", await result.GetResultAsync());
    }

    [Fact]
    public async Task Collection_loader_returns_all_values_per_key_and_empty_for_missing()
    {
        var calls = 0;
        var loader = new CollectionBatchLoader<int, string>((keys, _) =>
        {
            calls++;
            return Task.FromResult(new[] { (1, "a"), (1, "b"), (2, "c") }.ToLookup(p => p.Item1, p => p.Item2));
        });
        var one = loader.LoadAsync(1);
        var two = loader.LoadAsync(2);
        var none = loader.LoadAsync(3);

        Assert.Equal(["a", "b"], await one.GetResultAsync());
        Assert.Equal(["c"], await two.GetResultAsync());
        Assert.Empty(await none.GetResultAsync());
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Context_returns_the_same_loader_per_name_and_rejects_a_type_clash()
    {
        var context = new DataLoaderContext();
        var first = context.GetOrAddBatchLoader<int, string>("byId", Fetch);
        var second = context.GetOrAddBatchLoader<int, string>("byId", Fetch);

        Assert.Same(first, second);
        Assert.Throws<InvalidOperationException>(() => context.GetOrAddBatchLoader<string, string>(
            "byId", (_, _) => Task.FromResult<IDictionary<string, string>>(new Dictionary<string, string>())));
    }

    [Fact]
    public void Max_batch_size_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader<int, string>(Fetch, maxBatchSize: 0));
    }

    [Fact]
    public async Task A_primed_key_is_served_without_a_fetch_and_other_keys_still_batch()
    {
        var loader = new BatchLoader<int, string>(Fetch);
        Assert.True(loader.Prime(1, "primed"));

        var primed = loader.LoadAsync(1);
        var fetched = loader.LoadAsync(2);

        Assert.Equal("primed", await primed.GetResultAsync());
        Assert.Empty(_calls);
        Assert.Equal("v2", await fetched.GetResultAsync());
        Assert.Equal([2], Assert.Single(_calls));
    }

    [Fact]
    public async Task Priming_never_replaces_a_key_already_queued_loaded_or_primed()
    {
        var loader = new BatchLoader<int, string>(Fetch);
        var queued = loader.LoadAsync(7);
        Assert.False(loader.Prime(7, "late"));
        Assert.True(loader.Prime(8, "first"));
        Assert.False(loader.Prime(8, "second"));

        Assert.Equal("v7", await queued.GetResultAsync());
        Assert.Equal("v7", await loader.LoadAsync(7).GetResultAsync());
        Assert.Equal("first", await loader.LoadAsync(8).GetResultAsync());
        Assert.Equal([7], Assert.Single(_calls));
    }

    [Fact]
    public async Task TryGetLoaded_knows_primed_and_fetched_keys_but_never_queues_or_fetches()
    {
        var loader = new BatchLoader<int, string>(Fetch);
        loader.Prime(1, "primed");
        var queued = loader.LoadAsync(2);

        Assert.True(loader.TryGetLoaded(1, out var primed));
        Assert.Equal("primed", primed);
        Assert.False(loader.TryGetLoaded(2, out _)); // queued, not fetched yet
        Assert.False(loader.TryGetLoaded(3, out _)); // unknown: and asking did not queue it
        Assert.Empty(_calls);

        await queued.GetResultAsync();
        Assert.True(loader.TryGetLoaded(2, out var fetched));
        Assert.Equal("v2", fetched);
        Assert.Equal([2], Assert.Single(_calls));
    }
}
