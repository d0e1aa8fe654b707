using System.Net;
using System.Text;
using HeadlessLoyalty.GraphQL.PersistedDocuments;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests;

public sealed class PersistedDocumentTests
{
    [Fact]
    public async Task A_registered_document_runs_by_its_sha256_id_over_post_and_get()
    {
        await using var server = await SampleServer.StartAsync();
        var id = server.Services.GetRequiredService<PersistedDocumentStore>().Register("query Hi($n: String) { hello(name: $n) }");

        var (post, postBody) = await server.Client.ExchangeAsync(Http.Post(new { documentId = id, variables = new { n = "Id" } }));
        var (get, getBody) = await server.Client.ExchangeAsync(Http.Get("documentId=" + Uri.EscapeDataString(id)));

        Assert.StartsWith("sha256:", id);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("Hello, Id!", postBody["data"]!["hello"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("Hello, world!", getBody["data"]!["hello"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_document_id_is_PERSISTED_DOCUMENT_NOT_FOUND()
    {
        await using var server = await SampleServer.StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { documentId = "sha256:" + new string('0', 64) }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("PERSISTED_DOCUMENT_NOT_FOUND", body.FirstCode());
    }

    [Fact]
    public async Task A_malformed_document_id_is_PERSISTED_DOCUMENT_ID_INVALID()
    {
        await using var server = await SampleServer.StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { documentId = "md5:abc" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("PERSISTED_DOCUMENT_ID_INVALID", body.FirstCode());
    }

    [Fact]
    public async Task Documents_load_from_a_folder_named_by_their_hash()
    {
        var folder = Directory.CreateTempSubdirectory("persisted-");
        try
        {
            const string document = "{ books { title } }";
            var hex = PersistedDocumentStore.Hash(document);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, hex + ".graphql"), document, new UTF8Encoding(false));
            await using var server = await SampleServer.StartAsync(o => o.PersistedDocumentsPath = folder.FullName);

            var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { documentId = "sha256:" + hex }));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Dune", body["data"]!["books"]![0]!["title"]!.GetValue<string>());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_file_whose_content_does_not_match_its_hash_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("persisted-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, new string('a', 64) + ".graphql"), "{ hello }");

            var error = Assert.Throws<InvalidOperationException>(() =>
                new PersistedDocumentStore(new GraphQLHttpOptions { PersistedDocumentsPath = folder.FullName }));
            Assert.Contains("SHA-256", error.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_caller_in_a_persisted_only_role_cannot_send_a_query()
    {
        await using var server = await SampleServer.StartAsync(o => o.PersistedOnlyRoles.Add("storefront"));
        var id = server.Services.GetRequiredService<PersistedDocumentStore>().Register("{ hello }");

        var (refused, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }" }, user: "shop", roles: "storefront"));
        var (allowed, _) = await server.Client.ExchangeAsync(Http.Post(new { documentId = id }, user: "shop", roles: "storefront"));
        var (admin, _) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }" }, user: "admin", roles: "admin"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("PERSISTED_DOCUMENT_REQUIRED", body.FirstCode());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }
}
