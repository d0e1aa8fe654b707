using GraphQL;
using GraphQL.DI;
using HeadlessLoyalty.GraphQL.Errors;

namespace HeadlessLoyalty.GraphQL.PersistedDocuments;

/// <summary>
/// Callers in any of <see cref="GraphQLHttpOptions.PersistedOnlyRoles"/> (e.g. a storefront's public key) may run only
/// trusted documents, so a leaked credential cannot be used to send arbitrary queries. Refused with
/// PERSISTED_DOCUMENT_REQUIRED (HTTP 403: the caller is known, the kind of request is not permitted to it).
/// </summary>
public sealed class PersistedOnlyRolesGuard(GraphQLHttpOptions options) : IConfigureExecution
{
    // Before the persisted-document handler (100) fills in the query text from the id.
    public float SortOrder => 50;

    public Task<ExecutionResult> ExecuteAsync(ExecutionOptions executionOptions, ExecutionDelegate next)
    {
        if (options.PersistedOnlyRoles.Count == 0 || executionOptions.DocumentId is { Length: > 0 })
            return next(executionOptions);

        var user = executionOptions.User;
        if (user is null || !options.PersistedOnlyRoles.Any(user.IsInRole))
            return next(executionOptions);

        return Task.FromResult(new ExecutionResult { Errors = [new PersistedDocumentRequiredError()] });
    }
}
