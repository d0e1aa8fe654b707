using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.GraphQL.Authorization;

namespace HeadlessLoyalty.GraphQL.Tests.Authorization;

public sealed class AuthorizationAuditTests
{
    [Fact]
    public void Lists_root_fields_that_declare_neither_a_requirement_nor_anonymous_access()
    {
        var schema = new AuthorizationSchema(new DefaultServiceProvider());

        var undeclared = AuthorizationAudit.FindUndeclaredRootFields(schema);

        Assert.Equal(["Mutation.undeclared"], undeclared);
    }

    [Fact]
    public void A_requirement_on_the_root_type_does_not_count_as_a_field_declaration()
    {
        var query = new ObjectGraphType { Name = "Query" };
        query.Authorize();
        query.Field<StringGraphType>("inherited").Resolve(_ => "x");
        query.Field<StringGraphType>("declared").AuthorizeWithPolicy("P").Resolve(_ => "x");
        var schema = new Schema { Query = query };

        Assert.Equal(["Query.inherited"], AuthorizationAudit.FindUndeclaredRootFields(schema));
    }
}
