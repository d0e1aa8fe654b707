using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.GraphQL.Connections;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.GraphQL.Tests.Relay;

internal sealed record Customer(int Id, string Name);

internal sealed record Reward(string Code);

internal sealed class CustomerGraphType : ObjectGraphType<Customer>
{
    public CustomerGraphType()
    {
        Name = "Customer";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is Customer;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode("Customer", ctx.Source.Id.ToString()));
        Field(x => x.Name);
    }
}

internal sealed class RewardGraphType : ObjectGraphType<Reward>
{
    public RewardGraphType()
    {
        Name = "Reward";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is Reward;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode("Reward", ctx.Source.Code));
        Field(x => x.Code);
    }
}

internal sealed class NodeQuery : ObjectGraphType
{
    public static readonly IReadOnlyList<Customer> Customers =
        Enumerable.Range(1, 7).Select(i => new Customer(i, $"Customer {i}")).ToList();

    public NodeQuery(NodeResolverRegistry registry)
    {
        Name = "Query";
        this.AddNodeField(registry);
        Connection<CustomerGraphType>("customers")
            .Bidirectional()
            .ResolveAsync(async ctx => await ConnectionSlicer.SliceAsync(
                ConnectionArguments.FromContext(ctx),
                (skip, take, _) => Task.FromResult<IReadOnlyList<Customer>>(Customers.Skip(skip).Take(take).ToList()),
                _ => Task.FromResult(Customers.Count),
                defaultPageSize: 3,
                maxPageSize: 5,
                ctx.CancellationToken));
    }
}

internal sealed class NodeSchema : Schema
{
    public NodeSchema(NodeResolverRegistry registry)
    {
        Query = new NodeQuery(registry);
        RegisterType(new CustomerGraphType());
        RegisterType(new RewardGraphType());
    }

    public static NodeResolverRegistry Registry() => new NodeResolverRegistry()
        .Register("Customer", (_, id) => Task.FromResult<object?>(
            int.TryParse(id, out var n) ? NodeQuery.Customers.FirstOrDefault(c => c.Id == n) : null))
        .Register("Reward", (_, id) => Task.FromResult<object?>(new Reward(id)));
}
