using System.Diagnostics;
using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Lifecycle;

/// <summary>
/// The broker worker asks the margin-check queue for due checks at every turn, about one per order at a steady rate, and
/// nearly always none is due: the queue looks in PostgreSQL only when a check was kept on this instance since its last
/// look, or every <c>Lifecycle:WorkPollInterval</c> (here a minute, so only the first path can answer in time).
/// </summary>
public sealed class When_a_margin_check_is_kept_here(When_a_margin_check_is_kept_here.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_margin_check_is_kept_here.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new() { ["Lifecycle:WorkPollInterval"] = "00:01:00" };
    }

    [Fact]
    public async Task Should_run_it_at_once_though_the_worker_looks_every_minute()
    {
        fixture.Simulator.Control.PinPrice(3051, 100m);
        var client = fixture.Downstream.CreateRequestClient<MarginCheck>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.GetResponse<MarginCheckCompleted, OrderRejected>(new MarginCheck
            {
                CheckId = Guid.NewGuid(),
                UserId = "alice",
                AccountId = "DU1234567",
                Conid = 3051,
                Side = OrderSide.Buy,
                Quantity = 10,
                OrderType = OrderType.Limit,
                LimitPrice = 100m,
                TimeInForce = TimeInForce.Day,
            });
            output.WriteLine($"check {i + 1} answered in {watch.ElapsedMilliseconds} ms");

            Assert.True(response.Is(out Response<MarginCheckCompleted>? _));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"check {i + 1} took {watch.ElapsedMilliseconds} ms: it waited for the worker's next look");
        }
    }
}
