using System.Net;
using GraphQL;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Snapshooter.Xunit;

namespace HeadlessLoyalty.GraphQL.Tests;

public sealed class ErrorCodeTests
{
    private static Task<SampleServer> StartAsync(Action<GraphQLHttpOptions>? configure = null) =>
        SampleServer.StartAsync(configure, b => b.AddValidationRule<DenyMalloryRule>(useForCachedDocuments: true));

    [Fact]
    public async Task An_unhandled_resolver_exception_is_INTERNAL_SERVER_ERROR_without_details()
    {
        await using var server = await StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ throws hello }" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // partial data: the other field still resolves
        Assert.Equal("Hello, world!", body["data"]!["hello"]!.GetValue<string>());
        Assert.Equal("INTERNAL_SERVER_ERROR", body.FirstCode());
        var text = body.ToJsonString();
        Assert.DoesNotContain("secret", text);
        Assert.DoesNotContain("InvalidOperationException", text);
        Assert.DoesNotContain("   at ", text);
        Snapshot.Match(text);
    }

    [Fact]
    public async Task Exception_details_appear_only_when_exposed()
    {
        await using var server = await StartAsync(o => o.ExposeExceptionDetails = true);
        var (_, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ throws }" }));

        Assert.Equal("INTERNAL_SERVER_ERROR", body.FirstCode());
        Assert.Contains("connection string=secret", body.ToJsonString());
    }

    [Fact]
    public async Task A_typed_domain_error_keeps_its_code()
    {
        await using var server = await StartAsync();
        var (_, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ domainError }" }));

        Assert.Equal("BOOK_NOT_FOUND", body.FirstCode());
        Assert.Equal("No such book.", body["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Validation_failures_have_a_stable_code_and_name_the_rule()
    {
        await using var server = await StartAsync();
        var (_, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ hello(nope: 1) }" }));

        Assert.Equal("GRAPHQL_VALIDATION_FAILED", body.FirstCode());
        Assert.Equal("KNOWN_ARGUMENT_NAMES", body["errors"]![0]!["extensions"]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_operation_name_is_a_typed_error()
    {
        await using var server = await StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "query A { hello }", operationName = "B" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("OPERATION_RESOLUTION_FAILURE", body.FirstCode());
    }

    [Fact]
    public async Task An_UNAUTHENTICATED_validation_error_is_401_with_a_bearer_challenge()
    {
        await using var server = await StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ whoami }" }, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("UNAUTHENTICATED", body.FirstCode());
    }

    [Fact]
    public async Task A_FORBIDDEN_validation_error_is_403()
    {
        await using var server = await StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }" }, user: "mallory"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("FORBIDDEN", body.FirstCode());
    }

    [Fact]
    public async Task The_user_is_passed_to_resolvers()
    {
        await using var server = await StartAsync();
        var (_, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ whoami }" }, user: "alice"));

        Assert.Equal("alice", body["data"]!["whoami"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_too_deep_document_is_MAX_DEPTH_EXCEEDED()
    {
        await using var server = await StartAsync(o => o.MaxDepth = 4);
        var (ok, _) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ node { child { child { value } } } }" }));
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ node { child { child { child { child { value } } } } } }" }));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MAX_DEPTH_EXCEEDED", body.FirstCode());
    }

    [Fact]
    public async Task A_too_complex_document_is_MAX_COMPLEXITY_EXCEEDED()
    {
        await using var server = await StartAsync(o => o.MaxComplexity = 100);
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ node { children { children { value } } } }" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", body.FirstCode());
    }

    [Fact]
    public async Task An_execution_past_the_timeout_is_EXECUTION_TIMEOUT()
    {
        await using var server = await StartAsync(o => o.ExecutionTimeout = TimeSpan.FromMilliseconds(200));
        var (strict, strictBody) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ slow }" }));
        var (legacy, legacyBody) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ slow }" }, "application/json"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, strict.StatusCode);
        Assert.Equal("EXECUTION_TIMEOUT", strictBody.FirstCode());
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("EXECUTION_TIMEOUT", legacyBody.FirstCode());
    }

    [Fact]
    public async Task Several_operations_without_an_operation_name_is_a_typed_error()
    {
        await using var server = await StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "query A { hello } query B { hello }" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("OPERATION_RESOLUTION_FAILURE", body.FirstCode());
    }

    [Fact]
    public async Task Both_query_and_document_id_is_BAD_REQUEST()
    {
        await using var server = await StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }", documentId = "sha256:" + new string('0', 64) }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", body.FirstCode());
    }

    [Fact]
    public async Task A_failure_of_the_pipeline_itself_is_500_without_details()
    {
        await using var server = await SampleServer.StartAsync(graphQL: b => b.AddValidationRule<ThrowingRule>());
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }" }));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("INTERNAL_SERVER_ERROR", body.FirstCode());
        Assert.DoesNotContain("rule exploded", body.ToJsonString());
    }

    private sealed class ThrowingRule : global::GraphQL.Validation.ValidationRuleBase
    {
        public override ValueTask<global::GraphQL.Validation.INodeVisitor?> GetPreNodeVisitorAsync(global::GraphQL.Validation.ValidationContext context) =>
            throw new InvalidOperationException("rule exploded");
    }

    [Fact]
    public async Task The_details_hidden_from_clients_go_to_the_server_log()
    {
        var log = new CapturingLoggerProvider();
        await using var server = await SampleServer.StartAsync(graphQL: b => b.Services.Register<Microsoft.Extensions.Logging.ILoggerProvider>(log));
        await server.Client.ExchangeAsync(Http.Post(new { query = "{ throws }" }));

        Assert.Contains(log.Exceptions, e => e.Message == "connection string=secret");
    }

    private sealed class CapturingLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider, Microsoft.Extensions.Logging.ILogger
    {
        public System.Collections.Concurrent.ConcurrentBag<Exception> Exceptions { get; } = [];

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null)
                Exceptions.Add(exception);
        }

        public void Dispose() { }
    }
}
