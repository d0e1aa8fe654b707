using System.Collections.Concurrent;

namespace HeadlessLoyalty.GraphQL.DataLoading;

/// <summary>
/// The loaders of one request (registered scoped). Loaders are found by name, so the same name must always be used
/// with the same key and value types; the fetch delegate of the first caller is the one used.
/// </summary>
public sealed class DataLoaderContext
{
    private readonly ConcurrentDictionary<string, object> _loaders = new(StringComparer.Ordinal);

    public BatchLoader<TKey, TValue> GetOrAddBatchLoader<TKey, TValue>(
        string name,
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IDictionary<TKey, TValue>>> fetch,
        int? maxBatchSize = null)
        where TKey : notnull
        => Get(name, () => new BatchLoader<TKey, TValue>(fetch, maxBatchSize));

    public CollectionBatchLoader<TKey, TValue> GetOrAddCollectionBatchLoader<TKey, TValue>(
        string name,
        Func<IReadOnlyList<TKey>, CancellationToken, Task<ILookup<TKey, TValue>>> fetch,
        int? maxBatchSize = null)
        where TKey : notnull
        => Get(name, () => new CollectionBatchLoader<TKey, TValue>(fetch, maxBatchSize));

    private T Get<T>(string name, Func<T> create) where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var loader = _loaders.GetOrAdd(name, static (_, factory) => factory(), create);
        return loader as T ?? throw new InvalidOperationException(
            $"Data loader '{name}' is already registered as {loader.GetType().Name}, not {typeof(T).Name}.");
    }
}
