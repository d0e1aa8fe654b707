using GraphQL.Validation.Complexity;
using HeadlessLoyalty.GraphQL.Errors;

namespace HeadlessLoyalty.GraphQL.Limits;

/// <summary>
/// Depth and complexity limits with distinct typed errors. Core's own checks raise one ComplexityError for both,
/// so they stay off and this delegate, which core calls with the measured totals, decides.
/// </summary>
internal static class ComplexityLimits
{
    public static void Configure(ComplexityOptions complexity, GraphQLHttpOptions options)
    {
        complexity.MaxDepth = null;
        complexity.MaxComplexity = null;
        complexity.ValidateComplexityDelegate = context =>
        {
            if (context.MaxDepth > options.MaxDepth)
                context.Error = new MaxDepthExceededError(context.MaxDepth, options.MaxDepth);
            else if (context.TotalImpact > options.MaxComplexity)
                context.Error = new MaxComplexityExceededError(context.TotalImpact, options.MaxComplexity);
            return Task.CompletedTask;
        };
    }
}
