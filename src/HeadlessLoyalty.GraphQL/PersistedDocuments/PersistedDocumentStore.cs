using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using GraphQL.PersistedDocuments;

namespace HeadlessLoyalty.GraphQL.PersistedDocuments;

/// <summary>
/// The trusted documents this server executes by id (<c>documentId: "sha256:&lt;hex&gt;"</c>). Loaded from
/// <see cref="GraphQLHttpOptions.PersistedDocumentsPath"/> (files named <c>&lt;sha256-hex&gt;.graphql</c>) and/or
/// registered in code. Every document's hash is verified: an id always names exactly the text that hashes to it.
/// </summary>
public sealed class PersistedDocumentStore : IPersistedDocumentLoader
{
    public const string Prefix = "sha256";
    private readonly ConcurrentDictionary<string, string> _documents = new(StringComparer.Ordinal);

    public PersistedDocumentStore(GraphQLHttpOptions options)
    {
        if (options.PersistedDocumentsPath is { Length: > 0 } path)
            LoadFolder(path);
    }

    public int Count => _documents.Count;

    /// <summary>Registers a document and returns its id, <c>sha256:&lt;hex&gt;</c>.</summary>
    public string Register(string document)
    {
        var hex = Hash(document);
        _documents[hex] = document;
        return $"{Prefix}:{hex}";
    }

    /// <summary>Loads every <c>*.graphql</c> file; a file whose content does not hash to its name stops startup.</summary>
    public void LoadFolder(string path)
    {
        foreach (var file in Directory.EnumerateFiles(path, "*.graphql"))
        {
            var expected = Path.GetFileNameWithoutExtension(file).ToLowerInvariant();
            var document = File.ReadAllText(file, Encoding.UTF8);
            var actual = Hash(document);
            if (actual != expected)
                throw new InvalidOperationException(
                    $"Persisted document '{Path.GetFileName(file)}' hashes to {actual}; its file name must be the SHA-256 of its content.");
            _documents[actual] = document;
        }
    }

    public static string Hash(string document) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    public ValueTask<string?> GetQueryAsync(string? documentIdPrefix, string documentIdPayload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(documentIdPrefix == Prefix && _documents.TryGetValue(documentIdPayload.ToLowerInvariant(), out var document)
            ? document
            : null);
}
