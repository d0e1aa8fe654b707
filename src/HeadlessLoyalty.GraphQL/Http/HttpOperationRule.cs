using GraphQL.Validation;
using GraphQLParser.AST;
using HeadlessLoyalty.GraphQL.Errors;

namespace HeadlessLoyalty.GraphQL.Http;

/// <summary>
/// Refuses operations the HTTP request cannot carry: mutations over GET (they must not be triggered by links or
/// prefetch; answered 405 with Allow: POST), and subscriptions over plain HTTP (they need a streaming transport).
/// Runs on cached documents too: the same cached document may arrive by GET and by POST.
/// </summary>
internal sealed class HttpOperationRule(bool isGet) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        switch (context.Operation?.Operation)
        {
            case OperationType.Mutation when isGet:
                context.ReportError(new HttpOperationNotAllowedError(
                    "Mutations cannot be sent with GET; use POST.", ErrorCodes.MethodNotAllowed));
                break;
            case OperationType.Subscription:
                context.ReportError(new HttpOperationNotAllowedError(
                    "Subscriptions are not served over plain HTTP; use a streaming transport.", ErrorCodes.SubscriptionsNotSupported));
                break;
        }
        return default;
    }
}
