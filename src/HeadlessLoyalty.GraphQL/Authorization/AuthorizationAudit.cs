using GraphQL;
using GraphQL.Types;

namespace HeadlessLoyalty.GraphQL.Authorization;

/// <summary>Schema checks a host runs in its tests so that no root field is exposed by omission.</summary>
public static class AuthorizationAudit
{
    /// <summary>
    /// Root fields (Query, Mutation, Subscription) that declare neither a requirement (Authorize, roles, policies)
    /// nor AllowAnonymous, as "Type.field". Inherited requirements of the type or schema do not count: every root
    /// field must say who may call it.
    /// </summary>
    public static IReadOnlyList<string> FindUndeclaredRootFields(ISchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        schema.Initialize();
        var undeclared = new List<string>();
        foreach (var root in new IObjectGraphType?[] { schema.Query, schema.Mutation, schema.Subscription })
        {
            if (root is null)
                continue;
            foreach (var field in root.Fields)
            {
                if (!field.IsAuthorizationRequired() && !field.IsAnonymousAllowed())
                    undeclared.Add($"{root.Name}.{field.Name}");
            }
        }
        return undeclared;
    }
}
