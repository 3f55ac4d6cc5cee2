using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>With several processes, only the one holding a user's lease may talk to the user's IBKR session.</summary>
public sealed class When_this_process_does_not_hold_a_users_session
{
    private sealed class Holds(params string[] users) : IUserSessionAuthority
    {
        public bool MayUse(string userId, TimeSpan forAtLeast) => users.Contains(userId);
    }

    [Fact]
    public async Task Should_send_nothing_for_that_user_and_say_why()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator,
            services: s => s.Replace(ServiceDescriptor.Singleton<IUserSessionAuthority>(new Holds("held-user"))));

        var held = await guard.Gateway.GetAccountsAsync("held-user");
        var refused = await Assert.ThrowsAsync<BrokerageException>(() => guard.Gateway.GetAccountsAsync("other-user"));

        Assert.NotEmpty(held);
        Assert.Equal(BrokerageFailureKind.SessionNotHeld, refused.Kind);
        Assert.True(refused.IsSafeToRepeat);
        Assert.Empty(simulator.IbkrRequestsOf("other-user"));
    }
}
