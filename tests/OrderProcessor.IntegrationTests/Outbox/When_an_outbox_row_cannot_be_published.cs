using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrderProcessor.Audit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Persistence;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>
/// A row the relay can never publish as it is (a type this version does not know, a body over the limit) is parked
/// with its reason, named by readiness (Degraded, not Unhealthy) and by `orders outbox parked`, holds back only its own
/// order's later events while every other order's events flow, and leaves once the cause is fixed and it is retried.
/// </summary>
public sealed class When_an_outbox_row_cannot_be_published(ParkingFixture fixture, ITestOutputHelper output) : IClassFixture<ParkingFixture>
{
    [Fact]
    public async Task Should_park_it_with_its_reason_name_it_let_the_rest_flow_and_publish_it_after_a_fix_and_a_retry()
    {
        // Written five minutes ago: before parking, the outbox lag would take readiness to 503 on every instance.
        var createdAt = ChainedOutboxRows.Now(TimeSpan.FromMinutes(5));
        var (unknownOrder, largeOrder) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var unknown = ChainedOutboxRows.Row(unknownOrder, 1, null, "OrderTeleported", $$"""{"orderId":"{{unknownOrder}}","sequence":1}""", createdAt);
        var unknownNext = ChainedOutboxRows.Submitted(unknown, createdAt);
        var large = ChainedOutboxRows.Accepted(largeOrder, createdAt, ocaGroup: new string('x', 20_000));
        var largeNext = ChainedOutboxRows.Submitted(large, createdAt);
        await using (var db = fixture.Db())
        {
            db.Outbox.AddRange(unknown, large);
            await db.SaveChangesAsync();
            db.Outbox.AddRange(unknownNext, largeNext);
            await db.SaveChangesAsync();
        }

        // The rest flows: another order goes through, its events published.
        var order = TestOrders.Market();
        var stopwatch = Stopwatch.StartNew();
        await fixture.Downstream.Publisher.Publish(order);
        await fixture.Downstream.WaitForAsync(order.OrderId, events => events.Any(e => e.Event is OrderFilled), TimeSpan.FromSeconds(20));
        output.WriteLine($"with two unpublishable rows in the outbox another order's events through OrderFilled arrived in {stopwatch.ElapsedMilliseconds} ms");

        var parked = await WaitForParkedAsync(unknown.Sequence, large.Sequence);
        output.WriteLine($"parked: row {unknown.Sequence}: {parked[unknown.Sequence].ParkReason}");
        output.WriteLine($"parked: row {large.Sequence}: {parked[large.Sequence].ParkReason}");
        Assert.StartsWith("UnknownType: message type 'OrderTeleported'", parked[unknown.Sequence].ParkReason, StringComparison.Ordinal);
        Assert.StartsWith("TooLarge: the body is", parked[large.Sequence].ParkReason, StringComparison.Ordinal);
        Assert.Contains("Outbox:MaxBodyBytes (16384)", parked[large.Sequence].ParkReason, StringComparison.Ordinal);

        // Parking changes neither content nor hash; the later events of those orders wait, unparked.
        await using (var db = fixture.Db())
        {
            var rows = await db.Outbox.AsNoTracking().Where(o => o.OrderId == unknownOrder || o.OrderId == largeOrder).ToDictionaryAsync(o => o.Sequence);
            foreach (var written in new[] { unknown, unknownNext, large, largeNext })
            {
                Assert.Equal((written.Body, written.Hash, written.MessageType, written.CreatedAt), (rows[written.Sequence].Body, rows[written.Sequence].Hash, rows[written.Sequence].MessageType, rows[written.Sequence].CreatedAt));
            }

            Assert.All(new[] { unknownNext, largeNext }, next => Assert.Equal((null, null), (rows[next.Sequence].PublishedAt, rows[next.Sequence].ParkedAt)));
        }

        Assert.DoesNotContain(fixture.Downstream.Received, e => e.Event.OrderId == unknownOrder || e.Event.OrderId == largeOrder);
        var audit = await OutboxAuditor.VerifyDatabaseAsync(new OutboxRowSource(fixture.Servers.ConnectionString, 100), null, default);
        output.WriteLine($"audit with parked rows: {(audit.IsIntact ? "intact" : "BROKEN")}, {audit.RowsChecked} rows in {audit.ChainsChecked} chains");
        Assert.True(audit.IsIntact, string.Join("; ", audit.Breaks));

        // Readiness: the parked rows named, Degraded; the lag leaves them out; nothing Unhealthy.
        var health = await fixture.Processor.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(OrderProcessorServiceCollectionExtensions.ReadyTag));
        var entry = health.Entries["outbox-parked"];
        var named = JsonSerializer.Serialize(entry.Data);
        output.WriteLine($"readiness {health.Status}; outbox-parked {entry.Status}: {entry.Description}");
        output.WriteLine($"outbox-parked data: {named}");
        output.WriteLine($"outbox-lag {health.Entries["outbox-lag"].Status}: {health.Entries["outbox-lag"].Description}");
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(2, entry.Data["parked"]);
        Assert.All(new[] { unknownOrder.ToString(), largeOrder.ToString(), "OrderTeleported", "UnknownType", "TooLarge" }, text => Assert.Contains(text, named, StringComparison.Ordinal));
        Assert.Equal(HealthStatus.Healthy, health.Entries["outbox-lag"].Status);
        Assert.NotEqual(HealthStatus.Unhealthy, health.Status);

        // The metric: rows parked now.
        using (var gauge = new MetricCollector<long>(fixture.Processor.Services.GetRequiredService<IMeterFactory>(), OrderProcessorMetrics.MeterName, "orderprocessor.outbox.parked"))
        {
            gauge.RecordObservableInstruments();
            output.WriteLine($"orderprocessor.outbox.parked = {gauge.LastMeasurement?.Value}");
            Assert.Equal(2, gauge.LastMeasurement?.Value);
        }

        // The operator's listing.
        var (exit, listing) = await CliAsync("outbox", "parked");
        output.WriteLine(listing);
        Assert.Equal(1, exit);
        Assert.All(new[] { $"outbox seq {unknown.Sequence}", unknownOrder.ToString(), "OrderTeleported", "UnknownType", $"outbox seq {large.Sequence}", largeOrder.ToString(), "TooLarge", "1 later event(s) wait" },
            text => Assert.Contains(text, listing, StringComparison.Ordinal));

        // The fix for the large body: a higher limit. Then the retry: the row and the one behind it leave, in order.
        fixture.Settings["Outbox:MaxBodyBytes"] = "1048576";
        await fixture.RestartProcessorAsync();
        (exit, var retried) = await CliAsync("outbox", "retry", "--order", largeOrder.ToString());
        output.WriteLine(retried);
        Assert.Equal(0, exit);
        var events = await fixture.Downstream.WaitForAsync(largeOrder, e => e.Count == 2, TimeSpan.FromSeconds(15));
        Assert.Equal([typeof(OrderAccepted), typeof(OrderSubmitted)], events.Select(e => e.Event.GetType()));
        Assert.Equal(20_000, ((OrderAccepted)events[0].Event).OcaGroup!.Length);
        await using (var db = fixture.Db())
        {
            var rows = await db.Outbox.AsNoTracking().Where(o => o.OrderId == largeOrder).OrderBy(o => o.OrderSequence).ToListAsync();
            Assert.All(rows, r => Assert.Equal((true, null), (r.PublishedAt is not null, r.ParkedAt)));
            Assert.True(rows[0].PublishedAt < rows[1].PublishedAt);
        }

        // A retry whose cause is still there parks the row again; the listing and the exit codes say so.
        (exit, retried) = await CliAsync("outbox", "retry", "--sequence", unknown.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, exit);
        var again = await WaitForParkedAsync(unknown.Sequence);
        Assert.Equal(1, again[unknown.Sequence].Attempts);
        (exit, listing) = await CliAsync("outbox", "parked");
        Assert.Equal(1, exit);
        Assert.DoesNotContain(largeOrder.ToString(), listing, StringComparison.Ordinal);
        Assert.Equal(4, (await CliAsync("outbox", "retry", "--sequence", "999999999")).Exit);
        Assert.Equal(2, (await CliAsync("outbox", "retry")).Exit);
        Assert.Equal(2, (await CliAsync("outbox", "retry", "--all", "--order", unknownOrder.ToString())).Exit);
    }

    private Task<(int Exit, string Output)> CliAsync(params string[] arguments) => OrdersCliProcess.RunAsync(fixture.Servers, arguments);

    private async Task<Dictionary<long, OutboxMessage>> WaitForParkedAsync(params long[] sequences)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var db = fixture.Db();
            var rows = await db.Outbox.AsNoTracking().Where(o => sequences.Contains(o.Sequence)).ToDictionaryAsync(o => o.Sequence);
            if (rows.Values.All(r => r.ParkedAt is not null) || DateTime.UtcNow > deadline)
            {
                Assert.All(rows.Values, r => Assert.True(r.ParkedAt is not null, $"row {r.Sequence} is not parked: attempts {r.Attempts}, next {r.NextAttemptAt:O}, error {r.LastError}"));
                return rows;
            }

            await Task.Delay(100);
        }
    }
}
