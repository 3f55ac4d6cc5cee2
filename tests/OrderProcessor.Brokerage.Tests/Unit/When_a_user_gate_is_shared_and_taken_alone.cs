using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_a_user_gate_is_shared_and_taken_alone
{
    [Fact]
    public async Task Should_let_shared_callers_in_together_and_an_exclusive_one_only_alone()
    {
        var gate = new UserCallGate();
        var first = await gate.EnterSharedAsync(CancellationToken.None);
        var second = await gate.EnterSharedAsync(CancellationToken.None);

        var exclusive = gate.EnterExclusiveAsync(CancellationToken.None);
        await Task.Delay(20);
        Assert.False(exclusive.IsCompleted);
        var lateShared = gate.EnterSharedAsync(CancellationToken.None);

        first!.Dispose();
        second!.Dispose();
        var held = await exclusive.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(20);
        Assert.False(lateShared.IsCompleted, "a shared caller arriving after a waiting exclusive one waits for it");

        held!.Dispose();
        (await lateShared.WaitAsync(TimeSpan.FromSeconds(5)))!.Dispose();
    }

    [Fact]
    public async Task Should_release_the_gate_when_an_exclusive_waiter_gives_up()
    {
        var gate = new UserCallGate();
        var shared = await gate.EnterSharedAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.EnterExclusiveAsync(cancel.Token));
        shared!.Dispose();

        (await gate.EnterSharedAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)))!.Dispose();
        (await gate.EnterExclusiveAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)))!.Dispose();
    }
}
