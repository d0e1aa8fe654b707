using GraphQL.Validation;
using GraphQLParser.AST;
using HeadlessLoyalty.GraphQL.Errors;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>
/// graphql-sse over GET: mutations are refused (a link or an <c>EventSource</c> must not change anything), as on plain
/// HTTP. Subscriptions, which plain HTTP refuses, are what this transport is for.
/// </summary>
internal sealed class StreamingOperationRule : ValidationRuleBase
{
    public static readonly StreamingOperationRule Get = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.Operation?.Operation == OperationType.Mutation)
            context.ReportError(new HttpOperationNotAllowedError("Mutations cannot be sent with GET; use POST.", ErrorCodes.MethodNotAllowed));
        return default;
    }
}
