using GraphQL;

namespace HeadlessLoyalty.GraphQL.Connections;

/// <summary>The Relay pagination arguments of a connection field.</summary>
public sealed record ConnectionArguments(int? First, string? After, int? Last, string? Before)
{
    /// <summary>Reads <c>first</c>, <c>after</c>, <c>last</c> and <c>before</c> (absent arguments are null).</summary>
    public static ConnectionArguments FromContext(IResolveFieldContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new(
            context.GetArgument<int?>("first"),
            context.GetArgument<string?>("after"),
            context.GetArgument<int?>("last"),
            context.GetArgument<string?>("before"));
    }
}
