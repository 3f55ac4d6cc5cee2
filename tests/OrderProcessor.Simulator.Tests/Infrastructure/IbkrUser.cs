using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Tests.Infrastructure;

/// <summary>An HTTP client of the simulator's IBKR part, signed in as one user.</summary>
public sealed class IbkrUser(HttpClient http, string userId, SimulatorHost host, string token = "") : IDisposable
{
    public const string Api = "/v1/api";

    /// <summary>The bearer token (the websocket takes it as a query parameter).</summary>
    public string Token { get; } = token;

    /// <summary>The brokerage session id, as <c>POST /tickle</c> answers it (the websocket's <c>api</c> cookie).</summary>
    public async Task<string> SessionIdAsync() => (await PostAsync("/tickle")).Body.GetProperty("session").GetString()!;

    public string UserId { get; } = userId;

    public string AccountId { get; } = UserDirectory.DefaultAccountFor(userId);

    public HttpClient Http { get; } = http;

    public SimulatorHost Host { get; } = host;

    public async Task<Answer> PostAsync(string path, string? json = null)
    {
        using var content = new StringContent(json ?? string.Empty, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(Api + path, json is null ? null : content);
        return await Answer.ReadAsync(response);
    }

    public async Task<Answer> GetAsync(string path)
    {
        using var response = await Http.GetAsync(Api + path);
        return await Answer.ReadAsync(response);
    }

    public async Task<Answer> DeleteAsync(string path)
    {
        using var response = await Http.DeleteAsync(Api + path);
        return await Answer.ReadAsync(response);
    }

    public async Task<Answer> InitAsync(bool compete = true)
    {
        var answer = await PostAsync("/iserver/auth/ssodh/init", $"{{\"publish\":true,\"compete\":{(compete ? "true" : "false")}}}");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer;
    }

    public async Task WarmUpAccountsAsync()
    {
        var answer = await GetAsync("/iserver/accounts");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    public Task<Answer> SuppressAsync(params string[] ids) =>
        PostAsync("/iserver/questions/suppress", JsonSerializer.Serialize(new Dictionary<string, string[]> { ["messageIds"] = ids }));

    public Task<Answer> PlaceAsync(params string[] ticketsJson) =>
        PostAsync($"/iserver/account/{AccountId}/orders", "{\"orders\":[" + string.Join(",", ticketsJson) + "]}");

    public Task<Answer> ReplyAsync(string replyId, bool confirmed = true) =>
        PostAsync($"/iserver/reply/{replyId}", confirmed ? "{\"confirmed\":true}" : "{\"confirmed\":false}");

    /// <summary>Places the tickets and confirms every question; returns the accepted answer.</summary>
    public async Task<Answer> PlaceConfirmedAsync(params string[] ticketsJson)
    {
        var answer = await PlaceAsync(ticketsJson);
        for (var i = 0; i < 10 && answer.IsQuestion; i++)
            answer = await ReplyAsync(answer.Body[0].GetProperty("id").GetString()!);
        Assert.True(answer.IsAccepted, "expected an accepted order, got " + answer.Raw);
        return answer;
    }

    public async Task<long> PlaceOneConfirmedAsync(string ticketJson) =>
        long.Parse((await PlaceConfirmedAsync(ticketJson)).Body[0].GetProperty("order_id").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public static string Ticket(
        int conid, string orderType, string side, decimal quantity, decimal? price = null, decimal? auxPrice = null,
        string tif = "DAY", string? cOID = null, string? parentId = null, bool? isSingleGroup = null)
    {
        var fields = new Dictionary<string, object>
        {
            ["conid"] = conid,
            ["orderType"] = orderType,
            ["side"] = side,
            ["quantity"] = quantity,
            ["tif"] = tif,
        };
        if (price is not null)
            fields["price"] = price;
        if (auxPrice is not null)
            fields["auxPrice"] = auxPrice;
        if (cOID is not null)
            fields["cOID"] = cOID;
        if (parentId is not null)
            fields["parentId"] = parentId;
        if (isSingleGroup is not null)
            fields["isSingleGroup"] = isSingleGroup;
        return JsonSerializer.Serialize(fields);
    }

    public void Dispose() => Http.Dispose();
}
