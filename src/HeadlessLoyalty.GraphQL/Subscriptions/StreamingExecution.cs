using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using HeadlessLoyalty.GraphQL.Errors;
using HeadlessLoyalty.GraphQL.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>
/// Executes one operation for a streaming transport through the same pipeline as HTTP: the same executer, hence the
/// document cache, persisted documents and the persisted-only roles guard, the authorization rule, the limits and
/// the timeout of the initial execution.
/// </summary>
internal static class StreamingExecution
{
    public static async Task<ExecutionResult> ExecuteAsync<TSchema>(IServiceProvider services, ClaimsPrincipal user,
        HttpGraphQLRequest request, IValidationRule? requestRule, CancellationToken cancellationToken) where TSchema : ISchema
    {
        var execution = new ExecutionOptions
        {
            Query = request.Query,
            DocumentId = request.DocumentId,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            User = user,
            RequestServices = services,
            CancellationToken = cancellationToken,
        };
        if (requestRule is not null)
        {
            execution.ValidationRules = DocumentValidator.CoreRules.Append(requestRule);
            execution.CachedDocumentValidationRules = [requestRule];
        }
        try
        {
            return await services.GetRequiredService<IDocumentExecuter<TSchema>>().ExecuteAsync(execution).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("HeadlessLoyalty.GraphQL.Subscriptions")
                .LogError(e, "GraphQL execution failed outside the executer's own error handling.");
            return InternalError();
        }
    }

    public static ExecutionResult InternalError() =>
        new() { Errors = [new ExecutionError("Internal server error.") { Code = ErrorCodes.InternalServerError }] };

    /// <summary>
    /// The result that ends a subscription whose source called <c>OnError</c>: an <see cref="ExecutionError"/> with a
    /// code is the source's deliberate, typed end of the stream (e.g. "your cursor expired") and goes to the client as
    /// is; anything else is a server fault, logged, and the client gets a generic INTERNAL_SERVER_ERROR.
    /// </summary>
    public static ExecutionResult SourceError(Exception error, ILogger logger, string operationId)
    {
        // graphql-dotnet wraps any other exception of a source in an UnhandledError (an ExecutionError too): not typed.
        if (error is ExecutionError { Code: { Length: > 0 } } typed and not global::GraphQL.Execution.UnhandledError)
        {
            logger.LogInformation("Subscription {OperationId} ended by its source with {Code}: {Message}", operationId, typed.Code, typed.Message);
            return new ExecutionResult { Errors = [new ExecutionError(typed.Message) { Code = typed.Code }] };
        }
        logger.LogError(error, "Subscription {OperationId} failed.", operationId);
        return InternalError();
    }

    public static ExecutionResult Error(string code, string message) =>
        new() { Errors = [new ExecutionError(message) { Code = code }] };

    /// <summary>The <c>errors</c> array of a result, as JSON (the graphql-transport-ws <c>error</c> payload).</summary>
    public static string ErrorsJson(IGraphQLTextSerializer serializer, ExecutionResult result)
    {
        var errorsOnly = new ExecutionResult { Errors = result.Errors ?? [new ExecutionError("Unknown error.")] };
        return JsonNode.Parse(serializer.Serialize(errorsOnly))!["errors"]!.ToJsonString();
    }

    public static string Quote(string value) => JsonSerializer.Serialize(value);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
