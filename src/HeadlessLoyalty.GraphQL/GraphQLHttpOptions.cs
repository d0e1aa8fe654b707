namespace HeadlessLoyalty.GraphQL;

/// <summary>Settings of the GraphQL-over-HTTP transport; bindable from configuration.</summary>
public sealed class GraphQLHttpOptions
{
    /// <summary>Largest accepted request body; larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 102_400;

    /// <summary>Serves the GraphiQL IDE to browsers at the endpoint path (GET, Accept text/html, no query).</summary>
    public bool EnableIde { get; set; }

    /// <summary>Adds exception type, message and stack trace to errors. Development only.</summary>
    public bool ExposeExceptionDetails { get; set; }

    /// <summary>How many parsed and validated documents the cache keeps (least recently used go first).</summary>
    public int DocumentCacheSize { get; set; } = 1000;

    /// <summary>Wall-clock budget of one execution; past it the response carries EXECUTION_TIMEOUT.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deepest field nesting a document may select.</summary>
    public int MaxDepth { get; set; } = 15;

    /// <summary>Highest total complexity (core's impact model: 1 per field, lists multiply by 10 by default).</summary>
    public double MaxComplexity { get; set; } = 5000;

    /// <summary>Callers in any of these roles may send only persisted documents (documentId), never free text.</summary>
    public HashSet<string> PersistedOnlyRoles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Optional folder of trusted documents named <c>&lt;sha256-hex&gt;.graphql</c>.</summary>
    public string? PersistedDocumentsPath { get; set; }
}
