using GraphQL;
using System.Runtime.CompilerServices;
using GraphQL.DI;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace HeadlessLoyalty.GraphQL.Caching;

/// <summary>
/// Keeps parsed documents that passed validation, keyed by the document text (persisted documents: by their id).
/// graphql-dotnet 8 has no IDocumentCache any more; caching is an <see cref="IConfigureExecution"/> around the
/// executer. On a hit only <see cref="ExecutionOptions.CachedDocumentValidationRules"/> run: rules that depend on
/// the user or the request (authorization) are registered with <c>useForCachedDocuments: true</c> and so still deny.
/// </summary>
public sealed class ValidatedDocumentCache(GraphQLHttpOptions options) : IConfigureExecution
{
    private readonly LruCache<(object? Schema, string Text), GraphQLDocument> _documents = new(options.DocumentCacheSize);
    // Every document this cache has handed out passed full validation against this schema (see CachedDocumentValidator).
    private readonly ConditionalWeakTable<GraphQLDocument, ISchema> _validated = new();
    private long _hits;
    private long _misses;

    // After the persisted-document handler (100), which turns a documentId into query text.
    public float SortOrder => 200;

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public int Count => _documents.Count;

    /// <summary>Whether <paramref name="document"/> (this instance) passed every validation rule against <paramref name="schema"/>.</summary>
    public bool IsValidated(GraphQLDocument? document, ISchema? schema) =>
        document is not null && _validated.TryGetValue(document, out var validatedFor) && ReferenceEquals(validatedFor, schema);

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions executionOptions, ExecutionDelegate next)
    {
        var key = KeyOf(executionOptions);
        if (executionOptions.Document is not null || key is null)
            return await next(executionOptions).ConfigureAwait(false);

        if (_documents.TryGet(key.Value, out var cached))
        {
            Interlocked.Increment(ref _hits);
            executionOptions.Document = cached;
            executionOptions.ValidationRules = executionOptions.CachedDocumentValidationRules ?? Array.Empty<IValidationRule>();
            return await next(executionOptions).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _misses);
        var result = await next(executionOptions).ConfigureAwait(false);
        // Executed means it parsed and passed every rule; a document that failed (even for this user only) is not kept.
        if (result.Executed && result.Document is not null)
        {
            if (executionOptions.Schema is { } schema)
                _validated.AddOrUpdate(result.Document, schema);
            _documents.Set(key.Value, result.Document);
        }
        return result;
    }

    // Validation is schema-specific, so the schema instance is part of the key.
    private static (object? Schema, string Text)? KeyOf(ExecutionOptions o) =>
        o.DocumentId is { Length: > 0 } id ? (o.Schema, "id:" + id)
        : o.Query is { Length: > 0 } q ? (o.Schema, "q:" + q)
        : null;
}
