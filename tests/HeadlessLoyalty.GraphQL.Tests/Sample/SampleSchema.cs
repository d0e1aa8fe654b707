using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests.Sample;

// A tiny, domain-agnostic schema exercising every transport behaviour: echo, books with a batched author,
// a mutation, a throwing field, a slow field, a typed domain error, a recursive type and a subscription.

public sealed record Book(string Id, string Title, string AuthorId);

public sealed record Author(string Id, string Name);

public sealed class SampleSchema : Schema
{
    public SampleSchema(IServiceProvider services) : base(services)
    {
        Query = new SampleQuery();
        Mutation = new SampleMutation();
        Subscription = new SampleSubscription();
    }
}

public sealed class AuthorType : ObjectGraphType<Author>
{
    public AuthorType()
    {
        Field(a => a.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.Name);
    }
}

public sealed class BookType : ObjectGraphType<Book>
{
    public BookType()
    {
        Field(b => b.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(b => b.Title);
        Field<AuthorType, IDataLoaderResult<Author>>("author")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<AuthorBatch>().Load(ctx.Source.AuthorId));
    }
}

/// <summary>A recursive type to build arbitrarily deep documents.</summary>
public sealed class NodeType : ObjectGraphType<int>
{
    public NodeType()
    {
        Name = "Node";
        Field<IntGraphType>("value").Resolve(ctx => ctx.Source);
        Field<NodeType>("child").Resolve(ctx => ctx.Source + 1);
        Field<ListGraphType<NodeType>>("children").Resolve(ctx => Enumerable.Range(ctx.Source + 1, 10));
    }
}

public sealed class SampleQuery : ObjectGraphType
{
    public SampleQuery()
    {
        Name = "Query";
        Field<StringGraphType>("hello")
            .Argument<StringGraphType>("name")
            .Resolve(ctx => $"Hello, {ctx.GetArgument("name", "world")}!");
        Field<StringGraphType>("whoami").Resolve(ctx => ctx.User?.Identity?.Name ?? "anonymous");
        Field<ListGraphType<BookType>>("books").Resolve(_ => BookShelf.Books);
        Field<StringGraphType>("throws").Resolve(_ => throw new InvalidOperationException("connection string=secret"));
        Field<StringGraphType>("domainError").Resolve(_ => throw new ExecutionError("No such book.") { Code = "BOOK_NOT_FOUND" });
        Field<StringGraphType>("slow").ResolveAsync(async ctx =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ctx.CancellationToken);
            return "too late";
        });
        Field<NodeType>("node").Resolve(_ => 0);
        Field<IntGraphType>("probeA").ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<ConcurrencyProbe>().EnterAsync());
        Field<IntGraphType>("probeB").ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<ConcurrencyProbe>().EnterAsync());
    }
}

public sealed class SampleMutation : ObjectGraphType
{
    public SampleMutation()
    {
        Name = "Mutation";
        Field<BookType>("addBook")
            .Argument<NonNullGraphType<StringGraphType>>("title")
            .Resolve(ctx => new Book("b-new", ctx.GetArgument<string>("title"), "a1"));
    }
}

public sealed class SampleSubscription : ObjectGraphType
{
    public SampleSubscription()
    {
        Name = "Subscription";
        Field<StringGraphType>("ticks").ResolveStream(_ => new SingleValue("tick"));
        // Fed by the test-controlled source (Subscriptions/StreamingSample.cs).
        Field<Subscriptions.TickType>("events").ResolveStream(ctx => ctx.RequestServices!.GetRequiredService<Subscriptions.TestEventSource>());
        Field<Subscriptions.TickType>("backlog")
            .Argument<NonNullGraphType<IntGraphType>>("count")
            .ResolveStream(ctx => new Subscriptions.PacedBacklog(ctx.RequestServices!, ctx.GetArgument<int>("count")));
    }
}

public static class BookShelf
{
    public static readonly IReadOnlyList<Book> Books =
    [
        new("b1", "Dune", "a1"), new("b2", "Emma", "a2"), new("b3", "Ubik", "a3"),
    ];

    public static readonly IReadOnlyDictionary<string, Author> Authors = new Dictionary<string, Author>
    {
        ["a1"] = new("a1", "Herbert"), ["a2"] = new("a2", "Austen"), ["a3"] = new("a3", "Dick"),
    };
}

/// <summary>A per-request batch: every Load before the first result is awaited goes into one fetch.</summary>
public sealed class AuthorBatch(BatchLog log)
{
    private readonly HashSet<string> _pending = [];
    private Dictionary<string, Author>? _loaded;

    public int Fetches { get; private set; }

    public IDataLoaderResult<Author> Load(string id)
    {
        _pending.Add(id);
        return new Pending(this, id);
    }

    private Author Get(string id)
    {
        if (_loaded is null || !_loaded.ContainsKey(id))
        {
            Fetches++;
            log.Record(_pending.Count);
            _loaded ??= [];
            foreach (var key in _pending)
                _loaded[key] = BookShelf.Authors[key];
            _pending.Clear();
        }
        return _loaded[id];
    }

    private sealed class Pending(AuthorBatch batch, string id) : IDataLoaderResult<Author>
    {
        public Task<Author> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(batch.Get(id));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}

/// <summary>Records how many resolvers run at once within a request.</summary>
public sealed class ConcurrencyProbe
{
    private int _current;

    public int MaxObserved { get; private set; }

    public async Task<int> EnterAsync()
    {
        var now = Interlocked.Increment(ref _current);
        MaxObserved = Math.Max(MaxObserved, now);
        await Task.Delay(20);
        Interlocked.Decrement(ref _current);
        return now;
    }
}

internal sealed class SingleValue(string value) : IObservable<string>
{
    public IDisposable Subscribe(IObserver<string> observer)
    {
        observer.OnNext(value);
        observer.OnCompleted();
        return new CancellationTokenSource();
    }
}

/// <summary>Sizes of every author fetch, across requests.</summary>
public sealed class BatchLog
{
    private readonly List<int> _sizes = [];

    public IReadOnlyList<int> Sizes { get { lock (_sizes) return _sizes.ToArray(); } }

    public void Record(int size) { lock (_sizes) _sizes.Add(size); }
}
