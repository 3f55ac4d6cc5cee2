using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>The control API moves the simulator's clock; every rule (sessions, tokens, pacing) sees the new time.</summary>
public sealed class When_the_simulator_clock_is_advanced
{
    [Fact]
    public async Task Should_move_the_clock_over_http_with_hours_past_a_day()
    {
        using var host = new SimulatorHost();
        using var control = host.CreateClient();

        using var advanced = await control.PostAsJsonAsync("/__sim/clock/advance", new { by = "25:00:00" });
        var clock = await control.GetFromJsonAsync<JsonElement>("/__sim/clock");
        using var refused = await control.PostAsJsonAsync("/__sim/clock/advance", new { by = "soon" });

        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        Assert.Equal(SimulatorHost.Start.AddHours(25), clock.GetProperty("now").GetDateTimeOffset());
        Assert.Equal(SimulatorHost.Start.AddHours(25), host.Control.Now);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Should_idle_out_the_session_and_expire_the_bearer_token()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        host.Control.AdvanceClock(TimeSpan.FromMinutes(7));
        var afterIdle = await user.GetAsync("/iserver/accounts");
        host.Control.AdvanceClock(TimeSpan.FromMinutes(4));
        var afterExpiry = await user.PostAsync("/iserver/auth/status");

        Assert.Equal(HttpStatusCode.Unauthorized, afterIdle.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, afterExpiry.Status);
        Assert.Equal("Access token expired", afterExpiry.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Should_open_the_live_orders_pace_again_once_the_interval_passed_on_the_advanced_clock()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:LiveOrdersMinInterval"] = "00:00:05" });
        using var user = await host.OpenSessionAsync("alice");

        var first = await user.GetAsync("/iserver/account/orders");
        var paced = await user.GetAsync("/iserver/account/orders");
        host.Control.AdvanceClock(TimeSpan.FromSeconds(5));
        var again = await user.GetAsync("/iserver/account/orders");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, paced.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
    }

    [Fact]
    public async Task Should_go_back_to_the_registered_time_provider_on_reset()
    {
        using var host = new SimulatorHost();
        host.Control.AdvanceClock(TimeSpan.FromDays(2));

        host.Control.Reset();

        Assert.Equal(SimulatorHost.Start, host.Control.Now);
        Assert.Equal(TimeSpan.Zero, host.Control.ClockOffset);
    }
}
