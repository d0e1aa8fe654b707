using GraphQL;
using GraphQL.DI;

namespace HeadlessLoyalty.GraphQL.Authorization;

public static class FieldAuthorizationBuilderExtensions
{
    /// <summary>
    /// Enforces graphql-dotnet authorization metadata (Authorize, AuthorizeWithPolicy, AuthorizeWithRoles,
    /// AllowAnonymous) during validation. Registered for cached documents too, because the result depends on the user.
    /// Needs ASP.NET Core authorization services (AddAuthorization) when policies are used.
    /// </summary>
    public static IGraphQLBuilder AddFieldAuthorization(this IGraphQLBuilder builder)
        => builder.AddValidationRule<FieldAuthorizationRule>(useForCachedDocuments: true);
}
