namespace HeadlessLoyalty.GraphQL.DataLoading;

/// <summary>Many values per key (one-to-many); a key missing from the lookup resolves to an empty sequence.</summary>
public sealed class CollectionBatchLoader<TKey, TValue>(
    Func<IReadOnlyList<TKey>, CancellationToken, Task<ILookup<TKey, TValue>>> fetch,
    int? maxBatchSize = null,
    IEqualityComparer<TKey>? keyComparer = null)
    : BatchingLoader<TKey, IEnumerable<TValue>>(maxBatchSize, keyComparer) where TKey : notnull
{
    protected override async Task<Func<TKey, IEnumerable<TValue>>> FetchAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    {
        var values = await fetch(keys, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A batch fetch returned null instead of a lookup.");
        // ILookup returns an empty sequence for unknown keys, which is the answer we want.
        return key => values[key];
    }
}
