using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Utilities;
using HeadlessLoyalty.GraphQL.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests.Connections;

public sealed class ConnectionGraphTypeTests
{
    internal sealed record Fruit(string Name);

    internal sealed class FruitType : ObjectGraphType<Fruit>
    {
        public FruitType()
        {
            Name = "Fruit";
            Field(f => f.Name);
        }
    }

    internal sealed class FruitQuery : ObjectGraphType
    {
        private static readonly Fruit[] Fruits = new[] { "apple", "banana", "cherry", "date", "elderberry" }.Select(n => new Fruit(n)).ToArray();

        public FruitQuery()
        {
            Name = "Query";
            Field<NonNullGraphType<ConnectionGraphType<FruitType, Fruit>>>("fruits")
                .Argument<IntGraphType>("first").Argument<StringGraphType>("after")
                .Argument<IntGraphType>("last").Argument<StringGraphType>("before")
                .Resolve(c => ConnectionSlicer.Slice(ConnectionArguments.FromContext(c), Fruits, 2, 10));
        }
    }

    internal sealed class FruitSchema : Schema
    {
        public FruitSchema(IServiceProvider services) : base(services) => Query = services.GetRequiredService<FruitQuery>();
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddGraphQL(b => b.AddSchema<FruitSchema>().AddGraphTypes(typeof(FruitSchema).Assembly).AddSystemTextJson().AddConnectionGraphTypes());
        services.AddTransient<FruitQuery>().AddTransient<FruitType>();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_types_are_named_after_the_node_type_and_carry_edges_nodes_page_info_and_total_count()
    {
        using var services = Services();
        var schema = services.GetRequiredService<FruitSchema>();
        schema.Initialize();
        var sdl = schema.Print(new PrintOptions { IncludeDescriptions = false }).ReplaceLineEndings("\n");

        Assert.Contains("): FruitConnection!", sdl);
        Assert.Contains("type FruitConnection {\n  edges: [FruitEdge!]!\n  nodes: [Fruit!]!\n  pageInfo: PageInfo!\n  totalCount: Int!\n}", sdl);
        Assert.Contains("type FruitEdge {\n  cursor: String!\n  node: Fruit!\n}", sdl);
    }

    [Fact]
    public async Task A_page_reads_the_same_through_edges_and_nodes_and_its_end_cursor_continues_it()
    {
        await using var services = Services();
        var executer = services.GetRequiredService<IDocumentExecuter<FruitSchema>>();
        var serializer = new GraphQLSerializer();

        async Task<System.Text.Json.JsonElement> Page(string args)
        {
            var result = await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = $"{{ fruits{args} {{ totalCount nodes {{ name }} edges {{ cursor node {{ name }} }} pageInfo {{ hasNextPage hasPreviousPage endCursor }} }} }}",
                RequestServices = services,
            });
            Assert.Null(result.Errors);
            return System.Text.Json.JsonDocument.Parse(serializer.Serialize(result)).RootElement.GetProperty("data").GetProperty("fruits");
        }

        var first = await Page("(first: 2)");
        Assert.Equal(5, first.GetProperty("totalCount").GetInt32());
        Assert.Equal(["apple", "banana"], first.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        Assert.Equal(["apple", "banana"], first.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("name").GetString()));
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        var next = await Page($"(first: 2, after: \"{first.GetProperty("pageInfo").GetProperty("endCursor").GetString()}\")");
        Assert.Equal(["cherry", "date"], next.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        Assert.True(next.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
    }
}
