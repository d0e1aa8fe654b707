using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQLParser.AST;
using HeadlessLoyalty.GraphQL.DataLoading;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests.DataLoading;

/// <summary>Batching through a real executed schema, under both execution strategies.</summary>
public sealed class BatchedExecutionTests
{
    public enum Strategy { Serial, Parallel }

    private static async Task<(ExecutionResult Result, FetchRecorder Recorder, string Json)> ExecuteAsync(string query, Strategy strategy)
    {
        var services = new ServiceCollection();
        services.AddSingleton<FetchRecorder>();
        services.AddGraphQL(b =>
        {
            b.AddSchema<BatchedSchema>().AddGraphTypes(typeof(BatchedSchema).Assembly).AddSystemTextJson().AddDataLoaders();
            if (strategy == Strategy.Serial)
                b.AddExecutionStrategy<SerialExecutionStrategy>(OperationType.Query);
            else
                b.AddExecutionStrategy<ParallelExecutionStrategy>(OperationType.Query);
        });
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IDocumentExecuter<BatchedSchema>>()
            .ExecuteAsync(new ExecutionOptions { Query = query, RequestServices = scope.ServiceProvider });
        var json = new GraphQLSerializer().Serialize(result);
        return (result, provider.GetRequiredService<FetchRecorder>(), json);
    }

    [Theory]
    [InlineData(Strategy.Serial)]
    [InlineData(Strategy.Parallel)]
    public async Task Fifty_items_with_a_batched_field_cost_one_fetch(Strategy strategy)
    {
        var (result, recorder, json) = await ExecuteAsync("{ items(count: 50) { id detail { id } } }", strategy);

        Assert.Null(result.Errors);
        var call = Assert.Single(recorder.Calls);
        Assert.Equal(Enumerable.Range(1, 50), call.Keys);
        Assert.Contains("""{"id":50,"detail":{"id":500}}""", json);
    }

    [Theory]
    [InlineData(Strategy.Serial)]
    [InlineData(Strategy.Parallel)]
    public async Task Nested_batched_fields_cost_one_fetch_per_level(Strategy strategy)
    {
        var (result, recorder, json) = await ExecuteAsync("{ items(count: 50) { id detail { id part { id } } tags } }", strategy);

        Assert.Null(result.Errors);
        Assert.Equal(1, recorder.CountFor("detailByItem"));
        Assert.Equal(1, recorder.CountFor("partByDetail"));
        Assert.Equal(1, recorder.CountFor("tagsByItem"));
        Assert.Equal(3, recorder.Calls.Count);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => i * 10), recorder.Calls.Single(c => c.Loader == "partByDetail").Keys);
        Assert.Contains("""{"id":7,"detail":{"id":70,"part":{"id":71}},"tags":["t7a","t7b"]}""", json);
    }

    [Theory]
    [InlineData(Strategy.Serial)]
    [InlineData(Strategy.Parallel)]
    public async Task Repeated_keys_across_the_document_are_fetched_once(Strategy strategy)
    {
        const string query = "{ a: item(id: 3) { detail { id } } b: item(id: 3) { detail { id } } c: item(id: 4) { detail { id } } }";

        var (result, recorder, _) = await ExecuteAsync(query, strategy);

        Assert.Null(result.Errors);
        var call = Assert.Single(recorder.Calls);
        Assert.Equal([3, 4], call.Keys);
    }

    [Theory]
    [InlineData(Strategy.Serial)]
    [InlineData(Strategy.Parallel)]
    public async Task Two_loads_composed_with_Then_cost_one_fetch_each_for_a_whole_list(Strategy strategy)
    {
        var (result, recorder, json) = await ExecuteAsync("{ items(count: 50) { id summary } }", strategy);

        Assert.Null(result.Errors);
        Assert.Equal(1, recorder.CountFor("detailByItem"));
        Assert.Equal(1, recorder.CountFor("partById"));
        Assert.Contains("""{"id":50,"summary":"500/1050"}""", json);
    }
}
