using GraphQL;
using HeadlessLoyalty.GraphQL.Errors;
using Microsoft.AspNetCore.Http;

namespace HeadlessLoyalty.GraphQL.Http;

/// <summary>The HTTP status of a GraphQL result; the table is in the library README.</summary>
internal static class StatusMapping
{
    public static int For(ExecutionResult result, string mediaType)
    {
        if (result.Executed)
            return StatusCodes.Status200OK; // Field errors, timeouts and partial data are all GraphQL responses.

        var codes = (result.Errors ?? []).Select(e => TransportErrorInfoProvider.Classify(e).Code).ToHashSet();
        if (codes.Contains(ErrorCodes.InternalServerError))
            return StatusCodes.Status500InternalServerError;
        if (codes.Contains(ErrorCodes.MethodNotAllowed))
            return StatusCodes.Status405MethodNotAllowed;
        if (codes.Contains(ErrorCodes.Unauthenticated))
            return StatusCodes.Status401Unauthorized;
        if (codes.Contains(ErrorCodes.Forbidden) || codes.Contains(ErrorCodes.PersistedDocumentRequired))
            return StatusCodes.Status403Forbidden;

        var strict = mediaType == MediaTypes.GraphQLResponse;
        // Core reports a timeout as a result without data (not executed): a server-side failure, not the client's.
        if (codes.Contains(ErrorCodes.ExecutionTimeout))
            return strict ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status200OK;

        // Parse, validation and document-id failures. application/json keeps 200 for legacy clients (spec);
        // application/graphql-response+json says 400 (the newest draft moves validation failures to 422, which
        // clients do not expect yet).
        return strict ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
    }
}
