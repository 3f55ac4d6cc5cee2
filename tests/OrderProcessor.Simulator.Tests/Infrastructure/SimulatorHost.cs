using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Simulator.Control;
using OrderProcessor.Simulator.PiTrade;

namespace OrderProcessor.Simulator.Tests.Infrastructure;

/// <summary>An in-process simulator on a fake clock, with the engine ticked by hand unless asked otherwise.</summary>
public sealed class SimulatorHost : IDisposable
{
    public const string ClientId = "orderprocessor-dev";
    public const string ApiKey = "dev-only-partner-api-key-change-me-0123456789";
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 14, 30, 0, TimeSpan.Zero);

    private readonly WebApplicationFactory<Program> _factory;

    public SimulatorHost(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Simulator:AutomaticMarketTicks"] = "false",
            ["Simulator:PerUserRequestsPerSecond"] = "100000",
            ["Simulator:PerIpRequestsPerSecond"] = "0",
            ["Simulator:LiveOrdersMinInterval"] = "00:00:00",
            ["Simulator:TickleMinInterval"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(all));
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        });
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public SimulatorControl Control => _factory.Services.GetRequiredService<SimulatorControl>();

    public HttpClient CreateClient() => _factory.CreateClient();

    public string PartnerJwt(TimeSpan? lifetime = null, string clientId = ClientId, string apiKey = ApiKey, DateTimeOffset? issuedAt = null)
    {
        var iat = issuedAt ?? Time.GetUtcNow();
        return Simulator.PiTrade.PartnerJwt.Create(clientId, apiKey, iat, iat + (lifetime ?? TimeSpan.FromMinutes(15)));
    }

    public async Task<HttpResponseMessage> RequestBearerTokenAsync(string jwt, string userId, string? ip = null)
    {
        using var http = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, BearerTokenEndpoint.Path)
        {
            Content = JsonContent.Create(ip is null ? new Dictionary<string, string> { ["userId"] = userId } : new Dictionary<string, string> { ["userId"] = userId, ["ip"] = ip }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        return await http.SendAsync(request);
    }

    /// <summary>A user with a bearer token and no brokerage session yet.</summary>
    public async Task<IbkrUser> SignInAsync(string userId, string? ip = null)
    {
        using var response = await RequestBearerTokenAsync(PartnerJwt(), userId, ip);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var http = CreateClient();
        var token = body.GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (ip is not null)
            http.DefaultRequestHeaders.Add("X-Forwarded-For", ip);
        return new IbkrUser(http, userId, this, token);
    }

    /// <summary>A user with a brokerage session: ssodh/init, then the accounts warm-up.</summary>
    public async Task<IbkrUser> OpenSessionAsync(string userId)
    {
        var user = await SignInAsync(userId);
        await user.InitAsync();
        await user.WarmUpAccountsAsync();
        return user;
    }

    /// <summary>
    /// Opens <c>/v1/api/ws</c> as IBKR's clients do: the token in the <c>bearer_token</c> query, the cookie
    /// <c>api=&lt;session&gt;</c> (default: the user's session from /tickle; "" sends none). Throws when the upgrade is refused.
    /// </summary>
    public async Task<StreamClient> ConnectStreamAsync(IbkrUser user, string? cookie = null, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        cookie ??= await user.SessionIdAsync();
        var client = _factory.Server.CreateWebSocketClient();
        if (cookie.Length > 0)
            client.ConfigureRequest = request => request.Headers.Cookie = "api=" + cookie;
        var query = (token ?? user.Token) is { Length: > 0 } t ? "?bearer_token=" + Uri.EscapeDataString(t) : string.Empty;
        var socket = await client.ConnectAsync(new Uri("ws://localhost/v1/api/ws" + query), CancellationToken.None);
        return new StreamClient(socket);
    }

    public void Dispose() => _factory.Dispose();
}
