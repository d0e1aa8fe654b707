using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.GraphQL.Subscriptions;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Microsoft.Extensions.DependencyInjection;
using Lifetime = GraphQL.DI.ServiceLifetime;

namespace HeadlessLoyalty.GraphQL.Tests.Subscriptions;

/// <summary>
/// A test-controlled event source behind <c>subscription { events }</c>: tests publish, complete or fail it and see
/// how many subscribers it has (a transport that ends an operation must unsubscribe).
/// </summary>
public sealed class TestEventSource : IObservable<string>
{
    private readonly List<IObserver<string>> _observers = [];

    public int Subscribers { get { lock (_observers) return _observers.Count; } }

    public int EverSubscribed { get; private set; }

    public IDisposable Subscribe(IObserver<string> observer)
    {
        lock (_observers)
        {
            _observers.Add(observer);
            EverSubscribed++;
        }
        return new Unsubscriber(this, observer);
    }

    public void Publish(string value) { foreach (var o in Snapshot()) o.OnNext(value); }

    public void Complete() { foreach (var o in Snapshot()) o.OnCompleted(); }

    public void Fail() { foreach (var o in Snapshot()) o.OnError(new InvalidOperationException("source broke: secret detail")); }

    /// <summary>Ends every subscription with a deliberate, typed error (what a source does for, say, an expired cursor).</summary>
    public void FailWith(string code, string message) { foreach (var o in Snapshot()) o.OnError(new global::GraphQL.ExecutionError(message) { Code = code }); }

    /// <summary>Waits (polling, bounded) until <paramref name="condition"/> holds; fails the test otherwise.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition(), "timed out waiting until " + what);
    }

    public Task WaitForSubscribersAsync(int count) => WaitUntilAsync(() => Subscribers == count, $"{count} subscriber(s)");

    private IObserver<string>[] Snapshot() { lock (_observers) return [.. _observers]; }

    private sealed class Unsubscriber(TestEventSource source, IObserver<string> observer) : IDisposable
    {
        public void Dispose() { lock (source._observers) source._observers.Remove(observer); }
    }
}

/// <summary>A scoped service: its id tells which scope resolved a field; Tenant is the caller state scopes inherit.</summary>
public sealed class ScopeProbe
{
    public Guid Id { get; } = Guid.NewGuid();
    public string? Tenant { get; set; }
}

public sealed class ScopeProbeInheritance : IGraphQLScopeInitializer
{
    public void Initialize(IServiceProvider parent, IServiceProvider child) =>
        child.GetRequiredService<ScopeProbe>().Tenant = parent.GetRequiredService<ScopeProbe>().Tenant;
}

/// <summary>
/// connection_init payload: <c>{"user": "alice", "roles": "a,b", "tenant": "t1"}</c> signs in; <c>{"refuse": true}</c>
/// is refused; no payload is anonymous. The tenant goes into the connection scope, as an app's would.
/// </summary>
public sealed class TestConnectionAuthenticator : IGraphQLConnectionAuthenticator
{
    public ValueTask<GraphQLConnectionInitResult> AuthenticateAsync(GraphQLConnectionInit init)
    {
        if (init.Payload is not { } payload)
            return ValueTask.FromResult(GraphQLConnectionInitResult.Accept(new ClaimsPrincipal(new ClaimsIdentity())));
        if (payload.TryGetProperty("explode", out _))
            throw new InvalidOperationException("the identity provider is down");
        if (payload.TryGetProperty("refuse", out _))
            return ValueTask.FromResult(GraphQLConnectionInitResult.Refuse("The token is not valid."));
        var claims = new List<Claim>();
        if (payload.TryGetProperty("user", out var user))
            claims.Add(new Claim(ClaimTypes.Name, user.GetString()!));
        if (payload.TryGetProperty("roles", out var roles))
            claims.AddRange(roles.GetString()!.Split(',').Select(r => new Claim(ClaimTypes.Role, r)));
        if (payload.TryGetProperty("tenant", out var tenant))
            init.Services.GetRequiredService<ScopeProbe>().Tenant = tenant.GetString();
        object? ack = payload.TryGetProperty("wantAck", out _) ? new { greeting = "welcome" } : null;
        return ValueTask.FromResult(GraphQLConnectionInitResult.Accept(
            new ClaimsPrincipal(new ClaimsIdentity(claims, claims.Count > 0 ? "test" : null)), ack));
    }
}

/// <summary>What the <c>events</c> subscription yields per event.</summary>
public sealed class TickType : ObjectGraphType<string>
{
    public TickType()
    {
        Name = "Tick";
        Field<StringGraphType>("value").Resolve(ctx => ctx.Source);
        Field<StringGraphType>("scopeId").Resolve(ctx => ctx.RequestServices!.GetRequiredService<ScopeProbe>().Id.ToString());
        Field<StringGraphType>("tenant").Resolve(ctx => ctx.RequestServices!.GetRequiredService<ScopeProbe>().Tenant);
        Field<NodeType>("node").Resolve(_ => 0);
    }
}

public static class StreamingServer
{
    /// <summary>The sample server with both streaming transports, the test authenticator and a fresh event source.</summary>
    public static Task<SampleServer> StartAsync(TestEventSource source, Action<GraphQLStreamingOptions>? streaming = null,
        Action<GraphQLHttpOptions>? http = null) =>
        SampleServer.StartAsync(http, b =>
        {
            b.Services.Register(source);
            b.Services.Register<ScopeProbe>(Lifetime.Scoped);
            b.Services.Register<IGraphQLScopeInitializer, ScopeProbeInheritance>(Lifetime.Singleton);
            b.Services.Register<IGraphQLConnectionAuthenticator, TestConnectionAuthenticator>(Lifetime.Singleton);
            b.AddValidationRule<DenyMalloryRule>(useForCachedDocuments: true);
            b.AddWebSocketTransport<SampleSchema>(o =>
            {
                o.KeepAliveInterval = TimeSpan.Zero; // tests that want pings turn them on
                streaming?.Invoke(o);
            });
            b.AddServerSentEventsTransport<SampleSchema>();
        });
}

/// <summary>
/// The pattern a real "replay from a cursor, then live" source follows (see the library README): captured at
/// subscribe time, the operation's scope (to open a child scope per read, never holding one DbContext across events)
/// and its <see cref="GraphQLOutboundFlow"/> (to replay no faster than the consumer reads); one loop emits in order
/// and stops when the subscription is disposed.
/// </summary>
public sealed class PacedBacklog(IServiceProvider operationScope, int count) : IObservable<string>
{
    public IDisposable Subscribe(IObserver<string> observer)
    {
        var stop = new CancellationTokenSource();
        var flow = operationScope.GetRequiredService<GraphQLOutboundFlow>();
        _ = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    await flow.WaitForRoomAsync(stop.Token);
                    await using var read = operationScope.CreateChildScope(); // a "database read" in its own scope
                    var tenant = read.ServiceProvider.GetRequiredService<ScopeProbe>().Tenant;
                    observer.OnNext($"{i}:{tenant}");
                }
                observer.OnCompleted();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });
        return stop;
    }
}
