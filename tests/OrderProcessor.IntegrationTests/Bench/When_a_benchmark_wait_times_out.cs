using OrderProcessor.Cli.Bench;

namespace OrderProcessor.IntegrationTests.Bench;

/// <summary>
/// A wait of the benchmark that times out says how many answers came and which of the missing orders the processor
/// rejected, not a bare "the operation has timed out" (a slow processor once left more than 20 orders of an account
/// working, and the next warm-up batch was refused with MaxWorkingOrdersExceeded).
/// </summary>
public sealed class When_a_benchmark_wait_times_out
{
    [Fact]
    public async Task Should_name_the_answers_that_came_and_the_rejections_among_the_missing()
    {
        var watches = new Stopwatches();
        var (answered, rejected, silent) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        watches.Expect(3);
        watches.Start(answered);
        watches.Start(rejected);
        watches.Start(silent);
        watches.Stop(answered);
        var rejections = new Dictionary<Guid, string> { [rejected] = "MaxWorkingOrdersExceeded: account DU1 already has 20 working BUY orders" };

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            watches.WaitAllAsync(TimeSpan.FromMilliseconds(50), "a warm-up batch", rejections, CancellationToken.None));

        Assert.Equal("a warm-up batch: 1 of 3 answered within 0.05 s; 1 of the 2 missing were rejected by the processor "
            + "(first: MaxWorkingOrdersExceeded: account DU1 already has 20 working BUY orders)", timeout.Message);
    }

    [Fact]
    public async Task Should_end_when_every_expected_answer_came()
    {
        var watches = new Stopwatches();
        var id = Guid.NewGuid();
        watches.Expect(1);
        watches.Start(id);
        watches.Stop(id);

        await watches.WaitAllAsync(TimeSpan.FromSeconds(5), "a burst", new Dictionary<Guid, string>(), CancellationToken.None);

        Assert.Equal(1, watches.Done);
    }
}
