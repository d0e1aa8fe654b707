using System.Collections.Concurrent;
using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.GraphQL.DataLoading;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests.DataLoading;

/// <summary>Records every batch fetch so tests can count round trips.</summary>
internal sealed class FetchRecorder
{
    public ConcurrentQueue<(string Loader, IReadOnlyList<int> Keys)> Calls { get; } = new();

    public int CountFor(string loader) => Calls.Count(c => c.Loader == loader);

    public void Record(string loader, IReadOnlyList<int> keys) => Calls.Enqueue((loader, keys.ToArray()));
}

internal sealed record Item(int Id);

internal sealed record Detail(int Id, int OwnerId);

internal sealed record Part(int Id);

internal sealed class ItemGraphType : ObjectGraphType<Item>
{
    public ItemGraphType()
    {
        Name = "Item";
        Field(x => x.Id);
        // item -> detail (one per item)
        Field<DetailGraphType>("detail").Resolve(ctx => ctx
            .BatchLoader<int, Detail>("detailByItem", (keys, ct) => Fetch(ctx, "detailByItem", keys, k => new Detail(k * 10, k)))
            .LoadAsync(ctx.Source.Id));
        // item -> detail and part of an unrelated id, composed: both loads are queued before either is awaited
        Field<StringGraphType>("summary").Resolve(ctx =>
        {
            var part = ctx.BatchLoader<int, Part>("partById", (keys, ct) => Fetch(ctx, "partById", keys, k => new Part(k)))
                .LoadAsync(ctx.Source.Id + 1000);
            return ctx.BatchLoader<int, Detail>("detailByItem", (keys, ct) => Fetch(ctx, "detailByItem", keys, k => new Detail(k * 10, k)))
                .LoadAsync(ctx.Source.Id)
                .Then(async (detail, ct) => $"{detail!.Id}/{(await part.GetResultAsync(ct))!.Id}");
        });
        // item -> tags (many per item)
        Field<ListGraphType<StringGraphType>>("tags").Resolve(ctx => ctx
            .CollectionBatchLoader<int, string>("tagsByItem", async (keys, ct) =>
            {
                Recorder(ctx).Record("tagsByItem", keys);
                await Task.Yield();
                return keys.SelectMany(k => new[] { $"t{k}a", $"t{k}b" }.Select(t => (k, t))).ToLookup(p => p.k, p => p.t);
            })
            .LoadAsync(ctx.Source.Id));
    }

    internal static FetchRecorder Recorder(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<FetchRecorder>();

    internal static async Task<IDictionary<int, T>> Fetch<T>(IResolveFieldContext ctx, string name, IReadOnlyList<int> keys, Func<int, T> make)
    {
        Recorder(ctx).Record(name, keys);
        await Task.Yield(); // behave like I/O
        return keys.ToDictionary(k => k, make);
    }
}

internal sealed class DetailGraphType : ObjectGraphType<Detail>
{
    public DetailGraphType()
    {
        Name = "Detail";
        Field(x => x.Id);
        // detail -> part: the second level of batching
        Field<PartGraphType>("part").Resolve(ctx => ctx
            .BatchLoader<int, Part>("partByDetail", (keys, ct) => ItemGraphType.Fetch(ctx, "partByDetail", keys, k => new Part(k + 1)))
            .LoadAsync(ctx.Source.Id));
    }
}

internal sealed class PartGraphType : ObjectGraphType<Part>
{
    public PartGraphType()
    {
        Name = "Part";
        Field(x => x.Id);
    }
}

internal sealed class BatchedQuery : ObjectGraphType
{
    public BatchedQuery()
    {
        Name = "Query";
        Field<ListGraphType<ItemGraphType>>("items")
            .Argument<IntGraphType>("count")
            .Resolve(ctx => Enumerable.Range(1, ctx.GetArgument<int>("count")).Select(i => new Item(i)).ToList());
        Field<ItemGraphType>("item").Argument<IntGraphType>("id").Resolve(ctx => new Item(ctx.GetArgument<int>("id")));
    }
}

internal sealed class BatchedSchema : Schema
{
    public BatchedSchema(IServiceProvider services) : base(services) => Query = new BatchedQuery();
}
