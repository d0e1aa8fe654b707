using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using HeadlessLoyalty.GraphQL.Errors;
using HeadlessLoyalty.GraphQL.Ide;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace HeadlessLoyalty.GraphQL.Http;

/// <summary>GraphQL over HTTP for one schema: negotiation, request reading, execution, status mapping.</summary>
internal static class GraphQLHttpHandler<TSchema> where TSchema : ISchema
{
    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<GraphQLHttpOptions>();
        var request = context.Request;

        foreach (var streaming in services.GetServices<IGraphQLStreamingTransport>())
        {
            if (streaming.CanHandle(context))
            {
                await streaming.HandleAsync(context).ConfigureAwait(false);
                return;
            }
        }

        var isGet = HttpMethods.IsGet(request.Method);
        IList<string> accept = request.Headers.GetCommaSeparatedValues(HeaderNames.Accept);
        if (options.EnableIde && isGet && !request.Query.ContainsKey("query") && !request.Query.ContainsKey("documentId")
            && MediaTypes.AcceptsHtml(accept))
        {
            await IdeAssets.WritePageAsync(context).ConfigureAwait(false);
            return;
        }

        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "GET, POST";
            await WriteRejectionAsync(context, MediaTypes.Json, new(StatusCodes.Status405MethodNotAllowed, ErrorCodes.MethodNotAllowed,
                "GraphQL is served over GET (queries) and POST.")).ConfigureAwait(false);
            return;
        }

        var mediaType = MediaTypes.Negotiate(accept);
        if (mediaType is null)
        {
            await WriteRejectionAsync(context, MediaTypes.Json, new(StatusCodes.Status406NotAcceptable, ErrorCodes.NotAcceptable,
                $"Accept {MediaTypes.GraphQLResponse} or {MediaTypes.Json}.")).ConfigureAwait(false);
            return;
        }

        var serializer = services.GetRequiredService<IGraphQLTextSerializer>();
        var (graphQLRequest, rejection) = isGet
            ? RequestReader.ReadGet(request, serializer)
            : await RequestReader.ReadPostAsync(request, options.MaxRequestBodyBytes, serializer, context.RequestAborted).ConfigureAwait(false);
        // Body and media type first (413/415 say more than a CSRF refusal), then the CSRF check.
        rejection ??= RequestReader.CheckCsrf(request);
        if (rejection is not null)
        {
            await WriteRejectionAsync(context, mediaType, rejection).ConfigureAwait(false);
            return;
        }

        var result = await ExecuteAsync(context, graphQLRequest!, isGet).ConfigureAwait(false);
        var status = StatusMapping.For(result, mediaType);
        if (status == StatusCodes.Status405MethodNotAllowed)
            context.Response.Headers.Allow = "POST";
        if (status == StatusCodes.Status401Unauthorized)
            context.Response.Headers.WWWAuthenticate = "Bearer";
        await WriteAsync(context, mediaType, status, result).ConfigureAwait(false);
    }

    private static async Task<ExecutionResult> ExecuteAsync(HttpContext context, HttpGraphQLRequest request, bool isGet)
    {
        var executer = context.RequestServices.GetRequiredService<IDocumentExecuter<TSchema>>();
        var httpRule = new HttpOperationRule(isGet);
        var execution = new ExecutionOptions
        {
            Query = request.Query,
            DocumentId = request.DocumentId,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            User = context.User,
            RequestServices = context.RequestServices,
            CancellationToken = context.RequestAborted,
            // The HTTP rule depends on the request (GET or POST), so it runs on cached documents as well.
            ValidationRules = DocumentValidator.CoreRules.Append(httpRule),
            CachedDocumentValidationRules = [httpRule],
        };
        try
        {
            return await executer.ExecuteAsync(execution).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            throw; // The client went away; nobody reads a response.
        }
        catch (Exception e)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HeadlessLoyalty.GraphQL.Http")
                .LogError(e, "GraphQL execution failed outside the executer's own error handling.");
            return new ExecutionResult { Errors = [new ExecutionError("Internal server error.", e) { Code = ErrorCodes.InternalServerError }] };
        }
    }

    private static Task WriteRejectionAsync(HttpContext context, string mediaType, RequestRejection rejection) =>
        WriteAsync(context, mediaType, rejection.StatusCode,
            new ExecutionResult { Errors = [new ExecutionError(rejection.Message) { Code = rejection.Code }] });

    private static async Task WriteAsync(HttpContext context, string mediaType, int status, ExecutionResult result)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = mediaType + "; charset=utf-8";
        var serializer = context.RequestServices.GetRequiredService<IGraphQLSerializer>();
        await serializer.WriteAsync(context.Response.Body, result, context.RequestAborted).ConfigureAwait(false);
    }
}
