using System.Net;
using System.Text;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Snapshooter.Xunit;

namespace HeadlessLoyalty.GraphQL.Tests;

public sealed class HttpProtocolTests : IAsyncLifetime
{
    private SampleServer _server = null!;

    public async Task InitializeAsync() => _server = await SampleServer.StartAsync(o => o.MaxRequestBodyBytes = 2048);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_post_query_answers_200_with_data_in_graphql_response_json()
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Post(new { query = "{ hello(name: \"Ada\") }" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Http.GraphQLResponse, response.MediaType());
        Assert.Equal("utf-8", response.Content.Headers.ContentType!.CharSet);
        Assert.Equal("Hello, Ada!", body["data"]!["hello"]!.GetValue<string>());
    }

    [Fact]
    public async Task Variables_operation_name_and_extensions_are_honoured()
    {
        var (_, body) = await _server.Client.ExchangeAsync(Http.Post(new
        {
            query = "query A { hello } query B($n: String) { hello(name: $n) }",
            operationName = "B",
            variables = new { n = "Bo" },
            extensions = new { trace = true },
        }));

        Assert.Equal("Hello, Bo!", body["data"]!["hello"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_get_query_is_executed()
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Get("query=" + Uri.EscapeDataString("query($n:String){hello(name:$n)}")
            + "&variables=" + Uri.EscapeDataString("{\"n\":\"Get\"}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, Get!", body["data"]!["hello"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_mutation_over_get_is_405_with_allow_post()
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Get("query=" + Uri.EscapeDataString("mutation { addBook(title: \"x\") { id } }")));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
        Assert.Equal("METHOD_NOT_ALLOWED", body.FirstCode());
    }

    [Fact]
    public async Task A_mutation_over_post_is_executed()
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Post(new { query = "mutation { addBook(title: \"New\") { title } }" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("New", body["data"]!["addBook"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Other_methods_are_405_with_allow_get_and_post()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/graphql") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        var (response, body) = await _server.Client.ExchangeAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Order());
        Assert.Equal("METHOD_NOT_ALLOWED", body.FirstCode());
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/json; charset=utf-8", "application/json")]
    [InlineData("application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/graphql-response+json; charset=utf-8", "application/graphql-response+json")]
    [InlineData("application/json;q=0.5, application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/graphql-response+json;q=0.4, application/json", "application/json")]
    [InlineData("text/html, application/*;q=0.9", "application/json")]
    public async Task Accept_is_negotiated(string? accept, string expected)
    {
        var (response, _) = await _server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }" }, accept));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.MediaType());
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=iso-8859-1")]
    public async Task Nothing_acceptable_is_406(string accept)
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }" }, accept));

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("NOT_ACCEPTABLE", body.FirstCode());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=utf-16")]
    public async Task Unsupported_content_types_are_415(string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{\"query\":\"{hello}\"}") };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var (response, body) = await _server.Client.ExchangeAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", body.FirstCode());
    }

    [Fact]
    public async Task A_post_without_content_type_is_415()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent("{\"query\":\"{hello}\"}"u8.ToArray()) };
        var (response, _) = await _server.Client.ExchangeAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_get_without_a_preflight_forcing_header_is_refused_as_possible_csrf()
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Get("query=%7Bhello%7D", preflight: false));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("CSRF_PREFLIGHT_REQUIRED", body.FirstCode());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }", variables = new { pad = new string('x', 4096) } }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", body.FirstCode());
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_too()
    {
        var payload = Encoding.UTF8.GetBytes("{\"query\":\"{ hello }\",\"pad\":\"" + new string('x', 4096) + "\"}");
        var content = new StreamContent(new MemoryStream(payload));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var (response, _) = await _server.Client.ExchangeAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("{not json", "BAD_REQUEST")]
    [InlineData("[]", "BAD_REQUEST")]
    [InlineData("\"query\"", "BAD_REQUEST")]
    [InlineData("{}", "BAD_REQUEST")]
    [InlineData("{\"query\": 1}", "BAD_REQUEST")]
    [InlineData("{\"query\": \"{hello}\", \"variables\": \"{}\"}", "BAD_REQUEST")]
    [InlineData("{\"query\": \"{hello}\", \"variables\": [1]}", "BAD_REQUEST")]
    [InlineData("{\"query\": \"{hello}\", \"operationName\": 5}", "BAD_REQUEST")]
    [InlineData("{\"query\": \"{hello}\", \"extensions\": \"x\"}", "BAD_REQUEST")]
    public async Task Malformed_bodies_are_400_with_a_clear_error(string json, string code)
    {
        foreach (var accept in new[] { Http.GraphQLResponse, "application/json" })
        {
            var (response, body) = await _server.Client.ExchangeAsync(Http.Post(json, accept));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(code, body.FirstCode());
            Assert.False(string.IsNullOrWhiteSpace(body["errors"]![0]!["message"]!.GetValue<string>()));
            Assert.Null(body["data"]);
        }
    }

    [Fact]
    public async Task An_empty_body_is_400()
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Post(""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", body.FirstCode());
    }

    [Fact]
    public async Task Get_variables_that_are_not_an_object_are_400()
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Get("query=%7Bhello%7D&variables=%5B1%5D"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", body.FirstCode());
    }

    [Fact]
    public async Task An_unparseable_document_is_400_with_graphql_response_json_and_200_with_json()
    {
        var (strict, strictBody) = await _server.Client.ExchangeAsync(Http.Post(new { query = "{ hello" }));
        var (legacy, legacyBody) = await _server.Client.ExchangeAsync(Http.Post(new { query = "{ hello" }, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("GRAPHQL_PARSE_FAILED", strictBody.FirstCode());
        Assert.Equal("GRAPHQL_PARSE_FAILED", legacyBody.FirstCode());
        Assert.Null(strictBody["data"]);
    }

    [Fact]
    public async Task A_validation_failure_is_400_with_graphql_response_json_and_200_with_json()
    {
        var (strict, strictBody) = await _server.Client.ExchangeAsync(Http.Post(new { query = "{ nope }" }));
        var (legacy, _) = await _server.Client.ExchangeAsync(Http.Post(new { query = "{ nope }" }, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Snapshot.Match(strictBody.ToJsonString());
    }

    [Fact]
    public async Task A_subscription_over_plain_http_is_refused_with_a_clear_error()
    {
        var (response, body) = await _server.Client.ExchangeAsync(Http.Post(new { query = "subscription { ticks }" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("SUBSCRIPTION_TRANSPORT_REQUIRED", body.FirstCode());
    }
}
