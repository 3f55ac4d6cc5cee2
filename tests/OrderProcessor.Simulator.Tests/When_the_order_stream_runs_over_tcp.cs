using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Simulator.PiTrade;
using OrderProcessor.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Simulator.Tests;

/// <summary>The socket on a real Kestrel port with a real clock and ClientWebSocket, as the benchmark and the guard use it.</summary>
public sealed class When_the_order_stream_runs_over_tcp(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_stream_a_market_orders_fill_to_a_client_websocket_within_milliseconds_when_filling_on_accept()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("urls", "http://127.0.0.1:0");
            web.UseSetting("Simulator:FillMarketOrdersOnAccept", "true");
            web.UseSetting("Simulator:PerIpRequestsPerSecond", "0");
            web.UseSetting("Simulator:PerUserRequestsPerSecond", "100000");
        });
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var now = DateTimeOffset.UtcNow;
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, BearerTokenEndpoint.Path.TrimStart('/'))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["userId"] = "tcp-user" }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PartnerJwt.Create(SimulatorHost.ClientId, SimulatorHost.ApiKey, now, now.AddMinutes(15)));
        using var tokenAnswer = await http.SendAsync(tokenRequest);
        var token = (await tokenAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await http.PostAsync("v1/api/iserver/auth/ssodh/init", JsonContent.Create(new { publish = true, compete = true }))).EnsureSuccessStatusCode();
        var account = (await http.GetFromJsonAsync<JsonElement>("v1/api/iserver/accounts")).GetProperty("accounts")[0].GetString();
        (await http.PostAsync("v1/api/iserver/questions/suppress", JsonContent.Create(new { messageIds = new[] { "o10151", "o163" } }))).EnsureSuccessStatusCode();
        var session = (await (await http.PostAsync("v1/api/tickle", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetString();

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", "api=" + session);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/v1/api/ws?bearer_token={Uri.EscapeDataString(token)}"), CancellationToken.None);
        var client = new StreamClient(socket);
        await client.SubscribeAsync();
        await When_a_client_opens_the_order_stream.WaitForAsync(() =>
            factory.Services.GetRequiredService<Control.SimulatorControl>().Stream().Users.TryGetValue("tcp-user", out var u) && u.ExecutionsSubscribed == 1 && u.OrdersSubscribed == 1);

        var latencies = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            using var place = await http.PostAsync(
                $"v1/api/iserver/account/{account}/orders",
                new StringContent("{\"orders\":[{\"conid\":8314,\"orderType\":\"MKT\",\"side\":\"BUY\",\"quantity\":1,\"tif\":\"DAY\",\"cOID\":\"tcp-" + i + "\"}]}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, place.StatusCode);
            var execution = await client.NextOnAsync("str");
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal("tcp-" + i, execution.Args[0].GetProperty("order_ref").GetString());
        }

        latencies.Sort();
        output.WriteLine($"place → str execution over TCP (fill on accept), 20 orders: p50 {latencies[10]:F1} ms, max {latencies[^1]:F1} ms");
        Assert.True(latencies[10] < 250, "the median fill should reach the socket in well under 250 ms");
        await client.DisposeAsync();
    }
}
