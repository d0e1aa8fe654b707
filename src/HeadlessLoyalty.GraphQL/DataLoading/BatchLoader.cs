namespace HeadlessLoyalty.GraphQL.DataLoading;

/// <summary>One value per key; a key missing from the fetched dictionary resolves to default (null).</summary>
public sealed class BatchLoader<TKey, TValue>(
    Func<IReadOnlyList<TKey>, CancellationToken, Task<IDictionary<TKey, TValue>>> fetch,
    int? maxBatchSize = null,
    IEqualityComparer<TKey>? keyComparer = null)
    : BatchingLoader<TKey, TValue?>(maxBatchSize, keyComparer) where TKey : notnull
{
    protected override async Task<Func<TKey, TValue?>> FetchAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    {
        var values = await fetch(keys, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A batch fetch returned null instead of a dictionary.");
        return key => values.TryGetValue(key, out var value) ? value : default;
    }
}
