using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.GraphQL.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests.Authorization;

/// <summary>Executes documents through the real DI registration (AddGraphQL + AddFieldAuthorization).</summary>
internal static class AuthorizationHarness
{
    public static async Task<ExecutionResult> ExecuteAsync<TSchema>(
        string query, ClaimsPrincipal user, Dictionary<string, object?>? variables = null, string? operationName = null)
        where TSchema : Schema
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthorization(options => options.AddPolicy("Gold", p => p.RequireClaim("tier", "gold")));
        services.AddGraphQL(b => b.AddSchema<TSchema>().AddGraphTypes(typeof(AuthorizationHarness).Assembly).AddSystemTextJson().AddFieldAuthorization());
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var executer = scope.ServiceProvider.GetRequiredService<IDocumentExecuter<TSchema>>();
        return await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = query,
            OperationName = operationName,
            User = user,
            RequestServices = scope.ServiceProvider,
            Variables = variables is null ? null : new Inputs(variables),
        });
    }

    public static Task<ExecutionResult> ExecuteAsync(string query, ClaimsPrincipal user, Dictionary<string, object?>? variables = null)
        => ExecuteAsync<AuthorizationSchema>(query, user, variables);

    public static IReadOnlyList<string?> Codes(this ExecutionResult result)
        => result.Errors?.Select(e => e.Code).ToList() ?? [];
}
