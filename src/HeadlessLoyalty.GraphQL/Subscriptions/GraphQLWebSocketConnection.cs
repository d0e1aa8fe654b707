using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.GraphQL.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>
/// One graphql-transport-ws connection: a reader loop (messages in order), one writer task (the only code that sends,
/// so frames never interleave), a bounded outbox between them, and one task per operation. Any close goes through
/// <see cref="Close"/>, which is idempotent: it stops every operation, drops what is still queued and has the writer
/// send the close frame; a peer that does not finish the handshake within the close timeout is aborted.
/// </summary>
internal sealed class GraphQLWebSocketConnection<TSchema>(
    WebSocket socket, HttpContext http, GraphQLStreamingOptions options, long maxMessageBytes,
    IGraphQLTextSerializer serializer, IGraphQLConnectionAuthenticator? authenticator, CancellationToken serverStopping, ILogger logger)
    where TSchema : ISchema
{
    private static readonly byte[] PingMessage = StreamingExecution.Utf8("""{"type":"ping"}""");

    // Unbounded with its own count: the single-reader unbounded channel takes no lock per message (a bounded one locks
    // on every write, read and Count, which contends when one event fans out to thousands of connections). The bound
    // is OutboundBufferSize, kept by _queued: a message that would exceed it is an overflow, never a wait.
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _capacity = Math.Max(1, options.OutboundBufferSize);
    private int _queued;
    private readonly ConcurrentDictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();
    private int _initReceived;
    private volatile bool _acknowledged;
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private int _closeRequested;
    private (int Code, string Reason) _close;

    public async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        var initTimeout = InitTimeoutAsync();
        var keepAlive = KeepAliveAsync();
        using var stopping = serverStopping.Register(() => Close(GraphQLCloseCodes.GoingAway, "Server shutting down"));
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer vanished or the socket was aborted: nothing left to say to it.
        }
        catch (Exception e)
        {
            logger.LogError(e, "graphql-transport-ws connection failed.");
            Close(GraphQLCloseCodes.InternalServerError, "Internal server error");
        }
        finally
        {
            Close(socket.CloseStatus is { } status ? (int)status : GraphQLCloseCodes.GoingAway, "");
            await writer.ConfigureAwait(false);
            await _lifetime.CancelAsync().ConfigureAwait(false);
            foreach (var operation in _operations.Values)
                operation.Cancel();
            await Task.WhenAll(initTimeout, keepAlive).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[8 * 1024];
        using var message = new MemoryStream();
        var tooLarge = false;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                Close(socket.CloseStatus is { } status ? (int)status : 1000, ""); // echo the peer's close
                return;
            }
            if (Volatile.Read(ref _closeRequested) == 1)
                continue; // draining until the peer answers our close frame
            if (!tooLarge)
            {
                if (message.Length + received.Count > maxMessageBytes)
                    tooLarge = true;
                else
                    message.Write(buffer, 0, received.Count);
            }
            if (!received.EndOfMessage)
                continue;
            if (tooLarge)
                Close(GraphQLCloseCodes.BadRequest, $"Message exceeds {maxMessageBytes} bytes");
            else if (received.MessageType != WebSocketMessageType.Text)
                Close(GraphQLCloseCodes.BadRequest, "Only text messages are accepted");
            else
                await HandleAsync(message.GetBuffer().AsMemory(0, (int)message.Length)).ConfigureAwait(false);
            message.SetLength(0);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> data)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            Close(GraphQLCloseCodes.BadRequest, "Invalid message received: not JSON");
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                Close(GraphQLCloseCodes.BadRequest, "Invalid message received: no type");
                return;
            }
            var hasPayload = root.TryGetProperty("payload", out var payload) && payload.ValueKind != JsonValueKind.Null;
            switch (typeElement.GetString())
            {
                case "connection_init":
                    if (hasPayload && payload.ValueKind != JsonValueKind.Object)
                        Close(GraphQLCloseCodes.BadRequest, "Invalid message received: payload must be an object");
                    else
                        await InitAsync(hasPayload ? payload.Clone() : null).ConfigureAwait(false);
                    return;
                case "ping":
                    Enqueue(StreamingExecution.Utf8(hasPayload ? $$"""{"type":"pong","payload":{{payload.GetRawText()}}}""" : """{"type":"pong"}"""));
                    return;
                case "pong":
                    return; // the answer to our keep-alive; its arrival is all it says
                case "subscribe":
                    Subscribe(root, hasPayload ? payload : default);
                    return;
                case "complete":
                    if (!TryId(root, out var id))
                        return;
                    if (_operations.TryRemove(id, out var operation))
                        operation.Cancel(); // the client ended it: no complete goes back
                    return;
                default:
                    Close(GraphQLCloseCodes.BadRequest, $"Unexpected message of type '{Truncate(typeElement.GetString()!, 40)}' received");
                    return;
            }
        }
    }

    private async Task InitAsync(JsonElement? payload)
    {
        if (Interlocked.Exchange(ref _initReceived, 1) == 1)
        {
            Close(GraphQLCloseCodes.TooManyInitialisationRequests, "Too many initialisation requests");
            return;
        }
        GraphQLConnectionInitResult result;
        try
        {
            result = authenticator is null
                ? GraphQLConnectionInitResult.Accept(http.User)
                : await authenticator.AuthenticateAsync(new GraphQLConnectionInit(payload, http, http.RequestServices, _lifetime.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            logger.LogError(e, "The connection authenticator failed.");
            Close(GraphQLCloseCodes.InternalServerError, "Internal server error");
            return;
        }
        if (!result.Accepted)
        {
            Close(GraphQLCloseCodes.Forbidden, result.Refusal!);
            return;
        }
        _user = result.User!;
        _acknowledged = true;
        Enqueue(StreamingExecution.Utf8(result.AckPayload is null
            ? """{"type":"connection_ack"}"""
            : $$"""{"type":"connection_ack","payload":{{serializer.Serialize(result.AckPayload)}}}"""));
    }

    private void Subscribe(JsonElement root, JsonElement payload)
    {
        if (!_acknowledged)
        {
            Close(GraphQLCloseCodes.Unauthorized, "Unauthorized");
            return;
        }
        if (!TryId(root, out var id))
            return;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            Close(GraphQLCloseCodes.BadRequest, "Invalid message received: subscribe needs a payload object");
            return;
        }
        var (request, rejection) = RequestReader.ReadObject(payload, serializer);
        if (rejection is not null)
        {
            Close(GraphQLCloseCodes.BadRequest, "Invalid message received: " + rejection.Message);
            return;
        }
        var operation = new Operation(id, _lifetime.Token);
        if (!_operations.TryAdd(id, operation))
        {
            Close(GraphQLCloseCodes.SubscriberAlreadyExists, $"Subscriber for {Truncate(id, 60)} already exists");
            return;
        }
        _ = RunOperationAsync(operation, request!);
    }

    private async Task RunOperationAsync(Operation operation, HttpGraphQLRequest request)
    {
        var id = operation.Id;
        try
        {
            // Operations of one socket run concurrently, so each gets its own scope (its own DbContext), carrying the
            // connection's caller state; it lives as long as the operation.
            await using var scope = http.RequestServices.CreateChildScope();
            var flow = scope.ServiceProvider.GetService<GraphQLOutboundFlow>();
            flow?.Attach(() => Volatile.Read(ref _queued), options.OutboundBufferSize);
            var result = await StreamingExecution.ExecuteAsync<TSchema>(scope.ServiceProvider, _user, request, null, operation.Token)
                .ConfigureAwait(false);
            if (operation.Token.IsCancellationRequested)
                return;
            if (!result.Executed)
            {
                Enqueue(StreamingExecution.Utf8($$"""{"id":{{StreamingExecution.Quote(id)}},"type":"error","payload":{{StreamingExecution.ErrorsJson(serializer, result)}}}"""));
                return;
            }
            if (result.Streams is { Count: > 0 } streams)
            {
                var observer = new Observer(this, operation, flow);
                operation.Attach(streams.Values.First().Subscribe(observer));
                await observer.Completion.WaitAsync(operation.Token).ConfigureAwait(false);
                return;
            }
            Next(operation, result);
            Complete(operation);
        }
        catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "graphql-transport-ws operation {OperationId} failed.", id);
            Next(operation, StreamingExecution.InternalError());
            Complete(operation);
        }
        finally
        {
            operation.Cancel();
            _operations.TryRemove(new KeyValuePair<string, Operation>(id, operation));
        }
    }

    private void Next(Operation operation, ExecutionResult result)
    {
        if (!operation.Token.IsCancellationRequested)
            Enqueue(StreamingExecution.Utf8($$"""{"id":{{StreamingExecution.Quote(operation.Id)}},"type":"next","payload":{{serializer.Serialize(result)}}}"""));
    }

    private void Complete(Operation operation)
    {
        if (!operation.Token.IsCancellationRequested)
            Enqueue(StreamingExecution.Utf8($$"""{"id":{{StreamingExecution.Quote(operation.Id)}},"type":"complete"}"""));
    }

    private void Fail(Operation operation, Exception error)
    {
        Next(operation, StreamingExecution.SourceError(error, logger, operation.Id));
        Complete(operation);
    }

    private bool TryId(JsonElement root, out string id)
    {
        id = "";
        if (root.TryGetProperty("id", out var element) && element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } value)
        {
            id = value;
            return true;
        }
        Close(GraphQLCloseCodes.BadRequest, "Invalid message received: id must be a non-empty string");
        return false;
    }

    private void Enqueue(byte[] message)
    {
        if (Volatile.Read(ref _closeRequested) == 1)
            return;
        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            Interlocked.Decrement(ref _queued);
            Close(GraphQLCloseCodes.SlowConsumer, "Slow consumer: outbound buffer full; reconnect and resume from your last cursor");
            return;
        }
        if (!_outbox.Writer.TryWrite(message))
            Interlocked.Decrement(ref _queued); // closed meanwhile
    }

    /// <summary>Idempotent: the first reason wins.</summary>
    private void Close(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
            return;
        _close = (code, reason);
        _outbox.Writer.TryComplete();
        // Asynchronously: Close may run inside an operation's observer, which cancelling disposes.
        _ = _lifetime.CancelAsync();
        _ = AbortIfStuckAsync();
    }

    /// <summary>A peer that neither reads (a stalled send) nor answers our close frame is cut off.</summary>
    private async Task AbortIfStuckAsync()
    {
        await Task.Delay(options.CloseTimeout).ConfigureAwait(false);
        if (socket.State != WebSocketState.Closed)
            socket.Abort();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                Interlocked.Decrement(ref _queued);
                if (Volatile.Read(ref _closeRequested) == 1)
                    break; // queued messages are dropped: the client resumes from its cursor
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }
            // Only Close completes the outbox: send the close frame.
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync((WebSocketCloseStatus)_close.Code, Truncate(_close.Reason, 123), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Close(GraphQLCloseCodes.GoingAway, ""); // the socket is gone; make sure the reader stops too
        }
    }

    private async Task InitTimeoutAsync()
    {
        try
        {
            await Task.Delay(options.ConnectionInitTimeout, _lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (Volatile.Read(ref _initReceived) == 0)
            Close(GraphQLCloseCodes.ConnectionInitTimeout, "Connection initialisation timeout");
    }

    private async Task KeepAliveAsync()
    {
        if (options.KeepAliveInterval <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(options.KeepAliveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
                Enqueue(PingMessage);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Cuts at a UTF-8 byte budget (close reasons carry at most 123 bytes) without splitting a character.</summary>
    private static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
            return text;
        var length = text.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > maxBytes)
            length--;
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
            length--;
        return text[..length];
    }

    private sealed class Operation(string id, CancellationToken connection)
    {
        private readonly CancellationTokenSource _cancellation = CancellationTokenSource.CreateLinkedTokenSource(connection);
        private IDisposable? _subscription;
        private int _cancelled;

        public string Id => id;
        public CancellationToken Token => _cancellation.Token;

        public void Attach(IDisposable subscription)
        {
            Interlocked.Exchange(ref _subscription, subscription);
            if (Volatile.Read(ref _cancelled) == 1)
                Interlocked.Exchange(ref _subscription, null)?.Dispose();
        }

        public void Cancel()
        {
            if (Interlocked.Exchange(ref _cancelled, 1) == 0)
            {
                try { _cancellation.Cancel(); }
                catch (ObjectDisposedException) { }
            }
            Interlocked.Exchange(ref _subscription, null)?.Dispose();
        }
    }

    private sealed class Observer(GraphQLWebSocketConnection<TSchema> connection, Operation operation, GraphQLOutboundFlow? flow) : IObserver<ExecutionResult>
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completion => _completion.Task;

        public void OnNext(ExecutionResult value)
        {
            connection.Next(operation, value);
            flow?.Delivered();
        }

        public void OnError(Exception error)
        {
            connection.Fail(operation, error);
            _completion.TrySetResult();
        }

        public void OnCompleted()
        {
            connection.Complete(operation);
            _completion.TrySetResult();
        }
    }
}
