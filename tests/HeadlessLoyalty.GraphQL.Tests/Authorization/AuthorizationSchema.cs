using GraphQL;
using GraphQL.Types;

namespace HeadlessLoyalty.GraphQL.Tests.Authorization;

internal sealed record Account(string PublicName, decimal Balance);

internal sealed record Cat(string Name);

internal sealed record Dog(string Name);

internal sealed class AccountGraphType : ObjectGraphType<Account>
{
    public AccountGraphType()
    {
        Name = "Account";
        this.Authorize();
        Field(x => x.PublicName).AllowAnonymous();
        Field(x => x.Balance);
    }
}

internal sealed class PetInterface : InterfaceGraphType
{
    public PetInterface()
    {
        Name = "Pet";
        Field<StringGraphType>("name");
    }
}

internal sealed class CatGraphType : ObjectGraphType<Cat>
{
    public CatGraphType()
    {
        Name = "Cat";
        this.AuthorizeWithRoles("Admin");
        Interface<PetInterface>();
        IsTypeOf = o => o is Cat;
        Field(x => x.Name);
    }
}

internal sealed class DogGraphType : ObjectGraphType<Dog>
{
    public DogGraphType()
    {
        Name = "Dog";
        Interface<PetInterface>();
        IsTypeOf = o => o is Dog;
        Field(x => x.Name);
    }
}

internal sealed class FilterInputGraphType : InputObjectGraphType
{
    public FilterInputGraphType()
    {
        Name = "FilterInput";
        Field<StringGraphType>("plain");
        Field<StringGraphType>("internalFlag").AuthorizeWithRoles("Admin");
    }
}

internal sealed class AuthorizationQuery : ObjectGraphType
{
    public AuthorizationQuery()
    {
        Name = "Query";
        Field<StringGraphType>("open").AllowAnonymous().Resolve(_ => "open");
        Field<StringGraphType>("secret").Authorize().Resolve(_ => "secret");
        Field<StringGraphType>("adminOnly").AuthorizeWithRoles("Admin", "Owner").Resolve(_ => "admin");
        Field<StringGraphType>("goldOnly").AuthorizeWithPolicy("Gold").Resolve(_ => "gold");
        Field<AccountGraphType>("account").AllowAnonymous().Resolve(_ => new Account("Ada", 12.5m));
        Field<PetInterface>("pet").AllowAnonymous().Argument<StringGraphType>("kind")
            .Resolve(ctx => ctx.GetArgument<string>("kind") == "cat" ? new Cat("Tom") : new Dog("Rex"));
        Field<StringGraphType>("echo").AllowAnonymous()
            .Argument<StringGraphType>("secretArg", a => a.AuthorizeWithRoles("Admin"))
            .Argument<FilterInputGraphType>("filter")
            .Resolve(_ => "echo");
    }
}

internal sealed class AuthorizationMutation : ObjectGraphType
{
    public AuthorizationMutation()
    {
        Name = "Mutation";
        Field<StringGraphType>("resetEverything").AuthorizeWithRoles("Admin").Resolve(_ => "done");
        Field<StringGraphType>("undeclared").Resolve(_ => "oops");
    }
}

internal sealed class AuthorizationSchema : Schema
{
    public AuthorizationSchema(IServiceProvider services) : base(services)
    {
        Query = new AuthorizationQuery();
        Mutation = new AuthorizationMutation();
        RegisterType(new CatGraphType());
        RegisterType(new DogGraphType());
    }
}

/// <summary>The same fields behind a schema-wide requirement.</summary>
internal sealed class ProtectedSchema : Schema
{
    public ProtectedSchema(IServiceProvider services) : base(services)
    {
        Query = new AuthorizationQuery();
        RegisterType(new CatGraphType());
        RegisterType(new DogGraphType());
        this.Authorize();
    }
}
