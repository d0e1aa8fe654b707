using System.Security.Claims;
using GraphQL;
using HeadlessLoyalty.GraphQL.Authorization;
using HeadlessLoyalty.GraphQL.Tests.Support;
using static HeadlessLoyalty.GraphQL.Tests.Authorization.AuthorizationHarness;

namespace HeadlessLoyalty.GraphQL.Tests.Authorization;

public sealed class FieldAuthorizationRuleTests
{
    private const string Unauthenticated = AuthorizationErrorCodes.Unauthenticated;
    private const string Forbidden = AuthorizationErrorCodes.Forbidden;

    [Fact]
    public async Task Anonymous_user_may_select_an_anonymous_field()
    {
        var result = await ExecuteAsync("{ open }", TestUsers.Anonymous);

        Assert.Null(result.Errors);
        Assert.True(result.Executed);
    }

    [Fact]
    public async Task Anonymous_user_is_unauthenticated_for_a_field_that_requires_authorization()
    {
        var result = await ExecuteAsync("{ open secret }", TestUsers.Anonymous);

        var error = Assert.Single(result.Errors!);
        Assert.Equal(Unauthenticated, error.Code);
        Assert.Contains("Query.secret", error.Message);
        Assert.False(result.Executed);
    }

    [Fact]
    public async Task Authenticated_user_may_select_a_field_that_only_requires_authentication()
    {
        var result = await ExecuteAsync("{ secret }", TestUsers.Authenticated());

        Assert.Null(result.Errors);
    }

    [Fact]
    public async Task Authenticated_user_without_any_required_role_is_forbidden_and_told_which_roles()
    {
        var result = await ExecuteAsync("{ adminOnly }", TestUsers.WithRole("Clerk"));

        var error = Assert.Single(result.Errors!);
        Assert.Equal(Forbidden, error.Code);
        Assert.Contains("Query.adminOnly", error.Message);
        Assert.Contains("Admin, Owner", error.Message);
    }

    [Theory]
    [InlineData("Admin")]
    [InlineData("Owner")]
    public async Task Any_one_of_the_listed_roles_grants_access(string role)
    {
        var result = await ExecuteAsync("{ adminOnly }", TestUsers.WithRole(role));

        Assert.Null(result.Errors);
    }

    [Fact]
    public async Task Policy_is_evaluated_with_the_authorization_service()
    {
        var gold = await ExecuteAsync("{ goldOnly }", TestUsers.Authenticated(new Claim("tier", "gold")));
        var silver = await ExecuteAsync("{ goldOnly }", TestUsers.Authenticated(new Claim("tier", "silver")));
        var anonymous = await ExecuteAsync("{ goldOnly }", TestUsers.Anonymous);

        Assert.Null(gold.Errors);
        Assert.Equal([Forbidden], silver.Codes());
        Assert.Contains("Gold", silver.Errors![0].Message);
        Assert.Equal([Unauthenticated], anonymous.Codes());
    }

    [Fact]
    public async Task Anonymous_fields_of_a_protected_type_are_readable_anonymously()
    {
        var result = await ExecuteAsync("{ account { publicName } }", TestUsers.Anonymous);

        Assert.Null(result.Errors);
    }

    [Fact]
    public async Task Selecting_a_non_anonymous_field_enforces_the_type_requirement()
    {
        var result = await ExecuteAsync("{ account { publicName balance } }", TestUsers.Anonymous);

        var error = Assert.Single(result.Errors!);
        Assert.Equal(Unauthenticated, error.Code);
        Assert.Contains("'Account'", error.Message);
    }

    [Fact]
    public async Task Selecting_only_typename_enforces_the_type_requirement()
    {
        var result = await ExecuteAsync("{ account { __typename } }", TestUsers.Anonymous);

        Assert.Equal([Unauthenticated], result.Codes());
    }

    [Fact]
    public async Task Typename_next_to_an_anonymous_field_does_not_require_authentication()
    {
        var result = await ExecuteAsync("{ account { __typename publicName } }", TestUsers.Anonymous);

        Assert.Null(result.Errors);
    }

    [Fact]
    public async Task Protected_fields_inside_a_named_fragment_are_enforced_once_even_when_spread_twice()
    {
        const string query = """
            { a: account { ...F } b: account { ...F } }
            fragment F on Account { balance }
            """;

        var result = await ExecuteAsync(query, TestUsers.Anonymous);

        Assert.Equal([Unauthenticated], result.Codes());
    }

    [Fact]
    public async Task A_named_fragment_of_anonymous_fields_keeps_the_type_open()
    {
        const string query = """
            { account { ...F } }
            fragment F on Account { publicName }
            """;

        var result = await ExecuteAsync(query, TestUsers.Anonymous);

        Assert.Null(result.Errors);
    }

    [Fact]
    public async Task Nested_named_fragments_are_followed()
    {
        const string query = """
            { ...Outer }
            fragment Outer on Query { account { ...Inner } }
            fragment Inner on Account { balance }
            """;

        var result = await ExecuteAsync(query, TestUsers.Anonymous);

        Assert.Equal([Unauthenticated], result.Codes());
    }

    [Fact]
    public async Task Protected_fields_inside_an_inline_fragment_are_enforced()
    {
        var result = await ExecuteAsync("{ ... { secret } }", TestUsers.Anonymous);

        Assert.Equal([Unauthenticated], result.Codes());
    }

    [Fact]
    public async Task Inline_fragment_narrowing_an_interface_to_a_protected_type_is_enforced()
    {
        const string query = """{ pet(kind: "cat") { __typename ... on Cat { name } } }""";

        var clerk = await ExecuteAsync(query, TestUsers.WithRole("Clerk"));
        var admin = await ExecuteAsync(query, TestUsers.WithRole("Admin"));

        Assert.Equal([Forbidden], clerk.Codes());
        Assert.Contains("'Cat'", clerk.Errors![0].Message);
        Assert.Null(admin.Errors);
    }

    [Fact]
    public async Task Interface_selection_without_a_protected_type_condition_is_open()
    {
        var result = await ExecuteAsync("""{ pet(kind: "dog") { __typename ... on Dog { name } } }""", TestUsers.Anonymous);

        Assert.Null(result.Errors);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Skip_driven_by_a_variable_decides_whether_a_protected_field_is_checked(bool skip, bool expectError)
    {
        var result = await ExecuteAsync(
            "query Q($skip: Boolean!) { open secret @skip(if: $skip) }",
            TestUsers.Anonymous,
            new() { ["skip"] = skip });

        Assert.Equal(expectError ? [Unauthenticated] : [], result.Codes());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Include_driven_by_a_variable_with_a_default_decides_whether_a_fragment_is_checked(bool? include, bool expectError)
    {
        const string query = """
            query Q($include: Boolean = false) { open ...S @include(if: $include) }
            fragment S on Query { secret }
            """;
        var variables = include is null ? null : new Dictionary<string, object?> { ["include"] = include };

        var result = await ExecuteAsync(query, TestUsers.Anonymous, variables);

        Assert.Equal(expectError ? [Unauthenticated] : [], result.Codes());
    }

    [Fact]
    public async Task Literal_skip_removes_the_field_from_the_check()
    {
        var result = await ExecuteAsync("{ open secret @skip(if: true) }", TestUsers.Anonymous);

        Assert.Null(result.Errors);
    }

    [Fact]
    public async Task Protected_argument_is_enforced_only_when_supplied()
    {
        var without = await ExecuteAsync("{ echo }", TestUsers.Anonymous);
        var with = await ExecuteAsync("""{ echo(secretArg: "x") }""", TestUsers.WithRole("Clerk"));

        Assert.Null(without.Errors);
        var error = Assert.Single(with.Errors!);
        Assert.Equal(Forbidden, error.Code);
        Assert.Contains("secretArg", error.Message);
    }

    [Fact]
    public async Task Protected_input_field_is_enforced_only_when_supplied()
    {
        var plain = await ExecuteAsync("""{ echo(filter: { plain: "x" }) }""", TestUsers.WithRole("Clerk"));
        var flagged = await ExecuteAsync("""{ echo(filter: { plain: "x", internalFlag: "y" }) }""", TestUsers.WithRole("Clerk"));
        var admin = await ExecuteAsync("""{ echo(filter: { internalFlag: "y" }) }""", TestUsers.WithRole("Admin"));

        Assert.Null(plain.Errors);
        Assert.Equal([Forbidden], flagged.Codes());
        Assert.Contains("FilterInput.internalFlag", flagged.Errors![0].Message);
        Assert.Null(admin.Errors);
    }

    [Fact]
    public async Task Protected_input_field_supplied_through_a_variable_is_enforced()
    {
        const string query = "query Q($f: FilterInput) { echo(filter: $f) }";

        var plain = await ExecuteAsync(query, TestUsers.WithRole("Clerk"), new() { ["f"] = new Dictionary<string, object?> { ["plain"] = "x" } });
        var flagged = await ExecuteAsync(query, TestUsers.WithRole("Clerk"), new() { ["f"] = new Dictionary<string, object?> { ["internalFlag"] = "y" } });

        Assert.Null(plain.Errors);
        Assert.Equal([Forbidden], flagged.Codes());
    }

    [Fact]
    public async Task Protected_input_field_in_a_variable_default_is_enforced()
    {
        var result = await ExecuteAsync(
            """query Q($f: FilterInput = { internalFlag: "y" }) { echo(filter: $f) }""", TestUsers.WithRole("Clerk"));

        Assert.Equal([Forbidden], result.Codes());
    }

    [Fact]
    public async Task Protected_argument_supplied_through_a_variable_is_enforced()
    {
        var result = await ExecuteAsync(
            "query Q($s: String) { echo(secretArg: $s) }", TestUsers.Anonymous, new() { ["s"] = "x" });

        Assert.Equal([Unauthenticated], result.Codes());
    }

    [Fact]
    public async Task Mutation_root_fields_are_enforced()
    {
        var result = await ExecuteAsync("mutation { resetEverything }", TestUsers.WithRole("Clerk"));

        Assert.Equal([Forbidden], result.Codes());
    }

    [Fact]
    public async Task Only_the_selected_operation_is_checked()
    {
        const string query = "query A { open } query B { secret }";

        var result = await ExecuteAsync<AuthorizationSchema>(query, TestUsers.Anonymous, null, operationName: "A");

        Assert.Null(result.Errors);
    }

    [Fact]
    public async Task Schema_requirement_applies_even_to_anonymous_fields()
    {
        var result = await ExecuteAsync<ProtectedSchema>("{ open }", TestUsers.Anonymous);

        var error = Assert.Single(result.Errors!);
        Assert.Equal(Unauthenticated, error.Code);
        Assert.Contains("schema", error.Message);
    }

    [Fact]
    public async Task Schema_requirement_protects_introspection()
    {
        var open = await ExecuteAsync("{ __schema { queryType { name } } }", TestUsers.Anonymous);
        var protectedSchema = await ExecuteAsync<ProtectedSchema>("{ __schema { queryType { name } } }", TestUsers.Anonymous);

        Assert.Null(open.Errors);
        Assert.Equal([Unauthenticated], protectedSchema.Codes());
    }

    [Fact]
    public async Task Several_violations_are_all_reported()
    {
        var result = await ExecuteAsync("""{ secret adminOnly account { balance } }""", TestUsers.Anonymous);

        Assert.Equal(3, result.Errors!.Count);
        Assert.All(result.Errors, e => Assert.Equal(Unauthenticated, e.Code));
    }
}
