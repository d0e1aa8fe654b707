using GraphQL;
using GraphQL.DI;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.DataLoading;

public static class DataLoaderExtensions
{
    /// <summary>Registers <see cref="DataLoaderContext"/> as a scoped service (one per request scope).</summary>
    public static IGraphQLBuilder AddDataLoaders(this IGraphQLBuilder builder)
    {
        builder.Services.TryRegister(typeof(DataLoaderContext), typeof(DataLoaderContext), global::GraphQL.DI.ServiceLifetime.Scoped);
        return builder;
    }

    /// <summary>The request's named one-to-one loader: <c>context.BatchLoader("customerById", fetch).LoadAsync(id)</c>.</summary>
    public static BatchLoader<TKey, TValue> BatchLoader<TKey, TValue>(
        this IResolveFieldContext context,
        string name,
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IDictionary<TKey, TValue>>> fetch,
        int? maxBatchSize = null)
        where TKey : notnull
        => Loaders(context).GetOrAddBatchLoader(name, fetch, maxBatchSize);

    /// <summary>The request's named one-to-many loader.</summary>
    public static CollectionBatchLoader<TKey, TValue> CollectionBatchLoader<TKey, TValue>(
        this IResolveFieldContext context,
        string name,
        Func<IReadOnlyList<TKey>, CancellationToken, Task<ILookup<TKey, TValue>>> fetch,
        int? maxBatchSize = null)
        where TKey : notnull
        => Loaders(context).GetOrAddCollectionBatchLoader(name, fetch, maxBatchSize);

    private static DataLoaderContext Loaders(IResolveFieldContext context)
        => (context.RequestServices ?? throw new InvalidOperationException(
                "Data loaders need ExecutionOptions.RequestServices (the request scope)."))
            .GetRequiredService<DataLoaderContext>();
}
