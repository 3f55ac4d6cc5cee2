using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Control;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.PiTrade;

namespace OrderProcessor.Simulator.Tests;

/// <summary>The snippet of docs/simulator.md, so that it keeps working.</summary>
public sealed class When_the_simulator_is_hosted_in_another_test_project
{
    [Fact]
    public async Task Should_work_as_the_documentation_shows()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Simulator:AutomaticMarketTicks", "false");
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time));
        });
        using var http = factory.CreateClient();
        var control = factory.Services.GetRequiredService<SimulatorControl>();
        control.PinPrice(265598, 100m);

        var jwt = PartnerJwt.Create("orderprocessor-dev", "dev-only-partner-api-key-change-me-0123456789", time.GetUtcNow(), time.GetUtcNow().AddMinutes(15));
        using var request = new HttpRequestMessage(HttpMethod.Post, "brokerage-bearer-token") { Content = JsonContent.Create(new { userId = "erin" }) };
        request.Headers.Authorization = new("Bearer", jwt);
        using var token = await http.SendAsync(request);
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new("Bearer", accessToken);
        using var init = await http.PostAsJsonAsync(new Uri(http.BaseAddress!, "v1/api/iserver/auth/ssodh/init"), new { publish = true, compete = true });
        time.Advance(TimeSpan.FromSeconds(1));
        control.Tick();
        control.AdvanceClock(TimeSpan.FromHours(25));
        control.SetBehaviour(control.Behaviour with { LiveOrdersListingLag = TimeSpan.FromSeconds(5) });
        control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.RefuseTicket, TicketIndex = 1 });
        var fate = control.Fill("my-cOID", quantity: 4, whenNoSession: true);

        Assert.True((await init.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authenticated").GetBoolean());
        Assert.False(factory.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value.AutomaticMarketTicks);
        Assert.Equal(100m, control.PriceOf(265598));
        Assert.Empty(control.Ledger());
        Assert.Equal(1, control.Stats().SessionsInitialised);
        Assert.Equal(time.GetUtcNow().AddHours(25), control.Now);
        Assert.Equal(FateOutcome.NotFound, fate);
    }
}
