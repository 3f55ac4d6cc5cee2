using System.Net.WebSockets;
using System.Text;
using OrderProcessor.Brokerage.Streaming;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_stream_frames_are_parsed(ITestOutputHelper output)
{
    [Fact]
    public void Should_read_a_full_first_sor_frame_and_a_sparse_delta_with_absent_fields_null()
    {
        var full = Parse("""{"topic":"sor","args":[{"acct":"DU9000001","conid":265598,"orderId":1234567,"order_ref":"op-1","status":"PreSubmitted","filledQuantity":"0.0","remainingQuantity":"1.0","totalSize":"1.0","avgPrice":"","price":"","orderType":"Market","side":"BUY","timeInForce":"CLOSE","ticker":"AAPL"}]}""");
        var delta = Parse("""{"topic":"sor","args":[{"acct":"DU9000001","conid":265598,"orderId":"1234567","status":"Filled","filledQuantity":"1.0","remainingQuantity":"0.0","avgPrice":"189.52"}]}""");
        var identity = Parse("""{"topic":"sor","args":[{"acct":"DU9000001","conid":265598,"orderId":1234567}]}""");

        var first = Assert.Single(Assert.IsType<OrdersFrame>(full).Orders);
        Assert.Equal("1234567", first.OrderId);
        Assert.Equal("op-1", first.OrderRef);
        Assert.Equal(0m, first.FilledQuantity);
        Assert.Null(first.AvgPrice);
        Assert.Null(first.Price);
        var changed = Assert.Single(Assert.IsType<OrdersFrame>(delta).Orders);
        Assert.Equal("1234567", changed.OrderId);
        Assert.Equal(189.52m, changed.AvgPrice);
        Assert.Null(changed.OrderRef);
        Assert.Null(changed.TotalSize);
        var bare = Assert.Single(Assert.IsType<OrdersFrame>(identity).Orders);
        Assert.Null(bare.Status);
        Assert.Null(bare.FilledQuantity);
        output.WriteLine($"full: filled={first.FilledQuantity} price={first.Price?.ToString() ?? "absent"}; delta: status={changed.Status} avg={changed.AvgPrice}; identity-only: status={bare.Status ?? "absent"}");
    }

    [Fact]
    public void Should_keep_the_good_elements_when_one_is_bad()
    {
        var frame = Assert.IsType<OrdersFrame>(Parse(
            """{"topic":"sor","args":[{"orderId":1,"status":"Submitted"},"junk",{"orderId":{"nested":true}},{"status":"Filled"},{"orderId":2,"filledQuantity":"oops","status":"Filled"}]}"""));

        output.WriteLine($"good elements: {frame.Orders.Count}, bad: {frame.BadElements}");
        Assert.Equal(["1", "2"], frame.Orders.Select(o => o.OrderId));
        Assert.Null(frame.Orders[1].FilledQuantity);
        Assert.Equal(3, frame.BadElements);
    }

    [Fact]
    public void Should_read_executions_with_quoted_numbers_and_skip_those_without_an_id()
    {
        var frame = Assert.IsType<ExecutionsFrame>(Parse(
            """{"topic":"str","args":[{"execution_id":"0012d687.01","order_ref":"op-1","order_id":1234567,"size":"1","price":"189.52","trade_time_r":1796055005000,"account":"DU9000001","conid":265598,"side":"B","symbol":"AAPL"},{"order_ref":"op-2","size":"3"}]}"""));

        var execution = Assert.Single(frame.Executions);
        output.WriteLine($"execution {execution.ExecutionId}: {execution.Size} @ {execution.Price}; bad {frame.BadElements}");
        Assert.Equal("0012d687.01", execution.ExecutionId);
        Assert.Equal("1234567", execution.OrderId);
        Assert.Equal(1m, execution.Size);
        Assert.Equal(189.52m, execution.Price);
        Assert.Equal(1, frame.BadElements);
    }

    [Theory]
    [InlineData("""{"topic":"system","success":"bench-001","isFT":false,"isPaper":true}""", typeof(SystemSuccessFrame), "system")]
    [InlineData("""{"topic":"system","hb":1796055005000}""", typeof(HeartbeatFrame), "system")]
    [InlineData("""{"topic":"sts","args":{"authenticated":true,"competing":false,"message":"","fail":""}}""", typeof(StatusFrame), "sts")]
    [InlineData("""{"topic":"act","args":{"accounts":["DU9000001"],"selectedAccount":"DU9000001"}}""", typeof(OtherFrame), "act")]
    [InlineData("""{"topic":"ntf","args":{"id":"x"}}""", typeof(OtherFrame), "ntf")]
    [InlineData("""{"topic":"blt","args":{}}""", typeof(OtherFrame), "blt")]
    [InlineData("""{"topic":"zzz-secret-looking-topic","args":{}}""", typeof(OtherFrame), "unknown")]
    [InlineData("""{"message":"waiting for session"}""", typeof(OtherFrame), "none")]
    [InlineData("""{"topic":"sor","args":[{"orderId":1""", typeof(MalformedFrame), "malformed")]
    [InlineData("""not json at all""", typeof(MalformedFrame), "malformed")]
    [InlineData("""{"topic":"sor","args":{"orderId":1}}""", typeof(MalformedFrame), "malformed")]
    [InlineData("""[1,2,3]""", typeof(MalformedFrame), "malformed")]
    [InlineData("""tic""", typeof(MalformedFrame), "malformed")]
    public void Should_classify_every_topic_with_a_bounded_tag(string json, Type expected, string tag)
    {
        var frame = Parse(json);

        output.WriteLine($"{json} → {frame.GetType().Name} ({frame.TopicTag})");
        Assert.IsType(expected, frame);
        Assert.Equal(tag, frame.TopicTag);
    }

    [Fact]
    public void Should_read_the_session_status_flags()
    {
        var competing = Assert.IsType<StatusFrame>(Parse("""{"topic":"sts","args":{"authenticated":false,"competing":true,"message":"competing session"}}"""));

        Assert.False(competing.Authenticated);
        Assert.True(competing.Competing);
        Assert.Equal("competing session", competing.Message);
    }

    [Fact]
    public async Task Should_reassemble_fragmented_binary_and_text_messages()
    {
        const string sor = """{"topic":"sor","args":[{"orderId":7,"status":"Submitted"}]}""";
        const string hb = """{"topic":"system","hb":1}""";
        var socket = await ClientOver(async server =>
        {
            var bytes = Encoding.UTF8.GetBytes(sor);
            await server.SendAsync(bytes.AsMemory(0, 10), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
            await server.SendAsync(bytes.AsMemory(10, 20), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
            await server.SendAsync(bytes.AsMemory(30), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            await server.SendAsync(Encoding.UTF8.GetBytes(hb), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            await server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        });
        using var reader = new StreamFrameReader(socket, 4096);

        var first = await reader.ReadAsync(CancellationToken.None);
        var firstFrame = StreamFrameParser.Parse(first!.Value.Span);
        var second = StreamFrameParser.Parse((await reader.ReadAsync(CancellationToken.None))!.Value.Span);
        var closed = await reader.ReadAsync(CancellationToken.None);

        output.WriteLine($"binary in 3 fragments → {firstFrame.GetType().Name} ({first.Value.Length} bytes); text → {second.GetType().Name}; then close → {(closed is null ? "null" : "a message")}");
        Assert.Equal("7", Assert.Single(Assert.IsType<OrdersFrame>(firstFrame).Orders).OrderId);
        Assert.IsType<HeartbeatFrame>(second);
        Assert.Null(closed);
    }

    [Fact]
    public async Task Should_refuse_a_message_beyond_the_limit()
    {
        var socket = await ClientOver(async server =>
        {
            var chunk = Encoding.UTF8.GetBytes(new string(' ', 3000));
            for (var i = 0; i < 3; i++)
            {
                await server.SendAsync(chunk, WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
            }

            await server.SendAsync("{}"u8.ToArray(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        });
        using var reader = new StreamFrameReader(socket, 4096);

        var failure = await Assert.ThrowsAsync<StreamMessageTooLargeException>(async () => await reader.ReadAsync(CancellationToken.None));
        output.WriteLine(failure.Message);
    }

    private static ParsedFrame Parse(string text) => StreamFrameParser.Parse(Encoding.UTF8.GetBytes(text));

    /// <summary>A client socket reading what a server socket wrote (real websocket framing, over a buffer).</summary>
    private static async Task<WebSocket> ClientOver(Func<WebSocket, Task> serverWrites)
    {
        var wire = new MemoryStream();
        var server = WebSocket.CreateFromStream(wire, new WebSocketCreationOptions { IsServer = true });
        await serverWrites(server);
        var bytes = wire.ToArray();
        return WebSocket.CreateFromStream(new ReadOnlyWire(bytes), new WebSocketCreationOptions { IsServer = false });
    }

    /// <summary>Reads the recorded server frames; what the client writes (a close answer) goes nowhere.</summary>
    private sealed class ReadOnlyWire(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanWrite => true;

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.CompletedTask;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
