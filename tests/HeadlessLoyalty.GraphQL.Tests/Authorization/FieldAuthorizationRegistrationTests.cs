using GraphQL;
using GraphQL.DI;
using HeadlessLoyalty.GraphQL.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests.Authorization;

public sealed class FieldAuthorizationRegistrationTests
{
    [Fact]
    public async Task The_rule_is_applied_to_fresh_and_to_cached_documents()
    {
        var services = new ServiceCollection();
        services.AddGraphQL(b => b.AddSchema<AuthorizationSchema>().AddFieldAuthorization());
        await using var provider = services.BuildServiceProvider();
        var options = new ExecutionOptions { RequestServices = provider };

        ExecutionDelegate terminal = o => Task.FromResult(new ExecutionResult());
        var chain = provider.GetServices<IConfigureExecution>()
            .OrderByDescending(c => c.SortOrder)
            .Aggregate(terminal, (next, configure) => o => configure.ExecuteAsync(o, next));
        await chain(options);

        Assert.Contains(options.ValidationRules!, r => r is FieldAuthorizationRule);
        Assert.Contains(options.CachedDocumentValidationRules!, r => r is FieldAuthorizationRule);
    }
}
