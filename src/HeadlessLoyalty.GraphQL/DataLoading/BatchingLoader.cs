using GraphQL.DataLoader;

namespace HeadlessLoyalty.GraphQL.DataLoading;

/// <summary>
/// Collects keys requested by resolvers and fetches them together. <see cref="LoadAsync"/> only records the key;
/// graphql-dotnet's execution strategies (serial and parallel) run every sibling resolver before calling
/// <see cref="IDataLoaderResult.GetResultAsync"/>, and the first such call dispatches every key pending at that moment.
/// Results are cached for the loader's lifetime (one request), failures included.
/// </summary>
public abstract class BatchingLoader<TKey, TResult> where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Dictionary<TKey, IDataLoaderResult<TResult>> _entries;
    private readonly int? _maxBatchSize;
    private Batch? _open;

    protected BatchingLoader(int? maxBatchSize, IEqualityComparer<TKey>? keyComparer)
    {
        if (maxBatchSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(maxBatchSize), "A batch holds at least one key.");
        _maxBatchSize = maxBatchSize;
        _entries = new Dictionary<TKey, IDataLoaderResult<TResult>>(keyComparer);
    }

    internal IEqualityComparer<TKey> KeyComparer => _entries.Comparer;

    /// <summary>Queues the key (once per request) and returns a result resolved when the batch is dispatched.</summary>
    public IDataLoaderResult<TResult> LoadAsync(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
                return existing;
            _open ??= new Batch(this);
            var entry = new Entry(key, _open);
            _open.Keys.Add(key);
            _entries.Add(key, entry);
            if (_open.Keys.Count == _maxBatchSize)
                _open = null; // full: later keys start the next batch
            return entry;
        }
    }

    /// <summary>
    /// Caches a value obtained another way (e.g. read in the same query as its parent), so a later
    /// <see cref="LoadAsync"/> of the key costs no fetch. A key already loaded, queued or primed keeps its first
    /// value; returns whether this value was taken.
    /// </summary>
    public bool Prime(TKey key, TResult value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
            return _entries.TryAdd(key, new Primed(value));
    }

    /// <summary>
    /// The key's value when it is already known (primed, or its batch fetched successfully), without queueing anything:
    /// a resolver can then return the value itself and spare the executor a data-loader round.
    /// </summary>
    public bool TryGetLoaded(TKey key, out TResult value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            switch (_entries.GetValueOrDefault(key))
            {
                case Primed primed:
                    value = primed.Value;
                    return true;
                case Entry { Fetched: { IsCompletedSuccessfully: true } fetched }:
                    value = fetched.Result(key);
                    return true;
                default:
                    value = default!;
                    return false;
            }
        }
    }

    /// <summary>Fetches one batch of distinct keys and returns a way to read each key's result.</summary>
    protected abstract Task<Func<TKey, TResult>> FetchAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken);

    private async Task<Func<TKey, TResult>> DispatchAsync(Batch batch, CancellationToken cancellationToken)
    {
        var completion = ClaimDispatch(batch);
        if (completion is null)
            return await batch.Fetch!.ConfigureAwait(false); // another result of this batch already dispatched it

        // The fetch runs outside the lock; every entry of the batch shares its outcome, failures included.
        try
        {
            completion.SetResult(await FetchAsync(batch.Keys, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            completion.SetCanceled(cancellationToken);
        }
        catch (Exception exception)
        {
            completion.SetException(exception);
        }
        return await completion.Task.ConfigureAwait(false);
    }

    /// <summary>Marks the batch as dispatched; returns null when it already was.</summary>
    private TaskCompletionSource<Func<TKey, TResult>>? ClaimDispatch(Batch batch)
    {
        lock (_gate)
        {
            if (batch.Fetch is not null)
                return null;
            if (ReferenceEquals(_open, batch))
                _open = null; // keys requested from now on form a new batch
            var completion = new TaskCompletionSource<Func<TKey, TResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
            batch.Fetch = completion.Task;
            return completion;
        }
    }

    private sealed class Batch(BatchingLoader<TKey, TResult> owner)
    {
        public readonly List<TKey> Keys = [];
        public Task<Func<TKey, TResult>>? Fetch;
        public Task<Func<TKey, TResult>> DispatchAsync(CancellationToken cancellationToken) => owner.DispatchAsync(this, cancellationToken);
    }

    private sealed class Primed(TResult value) : IDataLoaderResult<TResult>
    {
        public TResult Value => value;

        public Task<TResult> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(value);

        Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => Task.FromResult<object?>(value);
    }

    private sealed class Entry(TKey key, Batch batch) : IDataLoaderResult<TResult>
    {
        public Task<Func<TKey, TResult>>? Fetched => batch.Fetch;

        public async Task<TResult> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var read = await batch.DispatchAsync(cancellationToken).ConfigureAwait(false);
            return read(key);
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken)
            => await GetResultAsync(cancellationToken).ConfigureAwait(false);
    }
}
