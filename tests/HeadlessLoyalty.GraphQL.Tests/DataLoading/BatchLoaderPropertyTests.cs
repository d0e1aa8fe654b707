using FsCheck.Xunit;
using HeadlessLoyalty.GraphQL.DataLoading;

namespace HeadlessLoyalty.GraphQL.Tests.DataLoading;

public sealed class BatchLoaderPropertyTests
{
    [Property(MaxTest = 300)]
    public async Task Every_distinct_key_is_fetched_exactly_once_in_full_batches(int[] rawKeys, byte rawMax, bool awaitInReverse)
    {
        var keys = (rawKeys ?? []).Select(k => ((k % 20) + 20) % 20).ToArray();
        var maxBatchSize = rawMax % 5 + 1;
        var batches = new List<int[]>();
        var loader = new BatchLoader<int, string>((batch, _) =>
        {
            batches.Add(batch.ToArray());
            return Task.FromResult<IDictionary<int, string>>(batch.ToDictionary(k => k, k => $"v{k}"));
        }, maxBatchSize);

        var results = keys.Select(k => (Key: k, Result: loader.LoadAsync(k))).ToList();
        if (awaitInReverse)
            results.Reverse();
        foreach (var (key, result) in results)
            Assert.Equal($"v{key}", await result.GetResultAsync());

        var distinct = keys.Distinct().ToArray();
        Assert.Equal(distinct.Order(), batches.SelectMany(b => b).Order());
        Assert.Equal((distinct.Length + maxBatchSize - 1) / maxBatchSize, batches.Count);
        Assert.All(batches, b => Assert.InRange(b.Length, 1, maxBatchSize));
    }
}
