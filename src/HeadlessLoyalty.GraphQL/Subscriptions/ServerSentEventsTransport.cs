using System.Threading.Channels;
using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.GraphQL.Errors;
using HeadlessLoyalty.GraphQL.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>
/// graphql-sse, distinct-connections mode: a GraphQL-over-HTTP request (GET or POST) with
/// <c>Accept: text/event-stream</c> is answered with <c>next</c> events and a final <c>complete</c>. The request's own
/// scope and user are the operation's (same bearer authentication as plain HTTP); each event is resolved in a child scope.
/// </summary>
internal sealed class ServerSentEventsTransport<TSchema>(
    GraphQLStreamingOptions options, GraphQLHttpOptions httpOptions, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    : IGraphQLStreamingTransport where TSchema : ISchema
{
    public const string EventStreamMediaType = "text/event-stream";
    private static readonly byte[] KeepAliveComment = StreamingExecution.Utf8(":\n\n");
    // EventSource drops events whose data is empty, so complete carries "{}": a page can close() on it instead of
    // letting the browser reconnect and run the operation again.
    private static readonly byte[] CompleteEvent = StreamingExecution.Utf8("event: complete\ndata: {}\n\n");

    public bool CanHandle(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsPost(context.Request.Method))
        && MediaTypeHeaderValue.TryParseList(context.Request.Headers.GetCommaSeparatedValues(HeaderNames.Accept), out var accepted)
        && accepted.Any(a => a.MediaType.Equals(EventStreamMediaType, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);

    public async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var serializer = services.GetRequiredService<IGraphQLTextSerializer>();
        var isGet = HttpMethods.IsGet(context.Request.Method);
        // GET needs no preflight header here: EventSource cannot send one, bearer tokens are not ambient credentials,
        // and the GET rule below refuses mutations. POST must be application/json, which already forces a preflight.
        var (request, rejection) = isGet
            ? RequestReader.ReadGet(context.Request, serializer)
            : await RequestReader.ReadPostAsync(context.Request, httpOptions.MaxRequestBodyBytes, serializer, context.RequestAborted).ConfigureAwait(false);
        if (rejection is not null)
        {
            // Request problems (not GraphQL ones) are answered as GraphQL over HTTP would.
            context.Response.StatusCode = rejection.StatusCode;
            context.Response.ContentType = MediaTypes.Json + "; charset=utf-8";
            await context.Response.WriteAsync(serializer.Serialize(StreamingExecution.Error(rejection.Code, rejection.Message)), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = EventStreamMediaType + "; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer the stream
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false); // headers out now: the client sees the stream open

        var stream = new EventStream(context, options, loggers.CreateLogger("HeadlessLoyalty.GraphQL.Subscriptions.Sse"));
        var flow = services.GetService<GraphQLOutboundFlow>();
        flow?.Attach(() => stream.Queued, options.OutboundBufferSize);
        using var stopping = lifetime.ApplicationStopping.Register(stream.Stop);
        using var aborted = context.RequestAborted.Register(stream.Stop);
        var writer = stream.WriteLoopAsync();
        using var keepAliveStop = new CancellationTokenSource();
        var keepAlive = stream.KeepAliveAsync(keepAliveStop.Token);
        IDisposable? subscription = null;
        try
        {
            var result = await StreamingExecution.ExecuteAsync<TSchema>(services, context.User, request!,
                isGet ? StreamingOperationRule.Get : null, context.RequestAborted).ConfigureAwait(false);
            if (result.Streams is { Count: > 0 } streams && result.Executed)
            {
                var observer = new Observer(stream, serializer, flow);
                subscription = streams.Values.First().Subscribe(observer);
                await stream.Done.ConfigureAwait(false);
            }
            else
            {
                // Validation and authorization failures too: the protocol reports them as a next event on an
                // accepted stream (a 4xx would only make an EventSource fail without saying why).
                stream.Next(serializer.Serialize(result));
                stream.Complete();
                await writer.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        finally
        {
            subscription?.Dispose();
            stream.Stop();
            await writer.ConfigureAwait(false);
            await keepAliveStop.CancelAsync().ConfigureAwait(false);
            await keepAlive.ConfigureAwait(false);
        }
    }

    private sealed class Observer(EventStream stream, IGraphQLTextSerializer serializer, GraphQLOutboundFlow? flow) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value)
        {
            stream.Next(serializer.Serialize(value));
            flow?.Delivered();
        }

        public void OnError(Exception error)
        {
            stream.Next(serializer.Serialize(StreamingExecution.SourceError(error, stream.Logger, "sse")));
            stream.Complete();
        }

        public void OnCompleted() => stream.Complete();
    }

    /// <summary>The bounded outbox and the single writer of one response.</summary>
    private sealed class EventStream(HttpContext context, GraphQLStreamingOptions options, ILogger logger)
    {
        private readonly Channel<byte[]> _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Math.Max(1, options.OutboundBufferSize))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // only TryWrite is used: full means overflow
        });
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _overflowed;
        private volatile bool _stopped;
        private volatile bool _closed;

        public ILogger Logger => logger;
        public int Queued => _outbox.Reader.Count;
        public Task Done => _done.Task;

        public void Next(string resultJson) => Enqueue(StreamingExecution.Utf8("event: next\ndata: " + resultJson + "\n\n"));

        /// <summary>The last event: the writer drains the outbox and the response ends.</summary>
        public void Complete()
        {
            Enqueue(CompleteEvent);
            _closed = true;
            _outbox.Writer.TryComplete();
        }

        /// <summary>The client left, the server stops, or the operation is over: end without a complete event.</summary>
        public void Stop()
        {
            _stopped = _closed = true;
            _outbox.Writer.TryComplete();
            _done.TrySetResult();
        }

        private void Enqueue(byte[] message)
        {
            // _closed is set before the outbox is completed, so a write refused because the stream is ending (a
            // keep-alive after complete, an event after the client left) is never taken for an overflow.
            if (_closed || _outbox.Writer.TryWrite(message) || _closed)
                return;
            _overflowed = _closed = true;
            _outbox.Writer.TryComplete();
            _done.TrySetResult();
        }

        public async Task WriteLoopAsync()
        {
            var body = context.Response.Body;
            var cancellation = context.RequestAborted;
            try
            {
                await foreach (var message in _outbox.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
                {
                    if (_overflowed || _stopped)
                        break; // queued events are dropped: the client resumes from its cursor
                    await body.WriteAsync(message, cancellation).ConfigureAwait(false);
                    await body.FlushAsync(cancellation).ConfigureAwait(false);
                }
                if (_overflowed)
                {
                    var watchdog = AbortIfStuckAsync();
                    var error = StreamingExecution.Error(ErrorCodes.SlowConsumer,
                        "Slow consumer: the stream's outbound buffer is full. Reconnect and resume from your last cursor.");
                    var serializer = context.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
                    await body.WriteAsync(StreamingExecution.Utf8("event: next\ndata: " + serializer.Serialize(error) + "\n\n"), cancellation).ConfigureAwait(false);
                    await body.FlushAsync(cancellation).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The client is gone.
            }
            finally
            {
                _done.TrySetResult();
            }
        }

        private async Task AbortIfStuckAsync()
        {
            await Task.Delay(options.CloseTimeout).ConfigureAwait(false);
            if (!_done.Task.IsCompleted)
                context.Abort();
        }

        public async Task KeepAliveAsync(CancellationToken stop)
        {
            if (options.KeepAliveInterval <= TimeSpan.Zero)
                return;
            using var timer = new PeriodicTimer(options.KeepAliveInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                    Enqueue(KeepAliveComment);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
