using GraphQL.DataLoader;

namespace HeadlessLoyalty.GraphQL.DataLoading;

/// <summary>
/// Composes pending loads without dispatching them early: the mapping runs when the executor asks for the result,
/// after every sibling resolver has queued its keys. To combine two loaders, queue both first, then await the
/// second inside the mapping of the first (<c>a.Then(async (x, ct) =&gt; f(x, await b.GetResultAsync(ct)))</c>).
/// </summary>
public static class DataLoaderResultExtensions
{
    public static IDataLoaderResult<TResult> Then<T, TResult>(this IDataLoaderResult<T> result, Func<T, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(map);
        return new Mapped<T, TResult>(result, (value, _) => Task.FromResult(map(value)));
    }

    public static IDataLoaderResult<TResult> Then<T, TResult>(this IDataLoaderResult<T> result, Func<T, CancellationToken, Task<TResult>> map)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(map);
        return new Mapped<T, TResult>(result, map);
    }

    private sealed class Mapped<T, TResult>(IDataLoaderResult<T> inner, Func<T, CancellationToken, Task<TResult>> map) : IDataLoaderResult<TResult>
    {
        public async Task<TResult> GetResultAsync(CancellationToken cancellationToken = default) =>
            await map(await inner.GetResultAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await GetResultAsync(cancellationToken).ConfigureAwait(false);
    }
}
