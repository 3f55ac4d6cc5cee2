using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Lifecycle;

public sealed class When_the_transition_table_is_read
{
    [Fact]
    public void Should_declare_every_input_in_every_status()
    {
        var undeclared = Enum.GetValues<OrderStatus>()
            .SelectMany(s => Enum.GetValues<LifecycleInput>().Select(i => (s, i)))
            .Where(cell => !TransitionTable.Cells.ContainsKey(cell))
            .Select(cell => $"{cell.i} in {cell.s}")
            .ToList();
        Assert.Empty(undeclared);
    }

    [Fact]
    public void Should_refuse_an_undeclared_pair_loudly()
    {
        var exception = Assert.Throws<UndeclaredTransitionException>(() => TransitionTable.For((OrderStatus)999, LifecycleInput.CancelOrder));
        Assert.Equal(LifecycleInput.CancelOrder, exception.Input);
    }

    [Fact]
    public void Should_be_shown_in_the_docs_exactly_as_the_code_declares_it()
    {
        var path = Path.Combine(RepositoryRoot.Find(), "docs", "lifecycle.md");
        var document = File.ReadAllText(path);
        var begin = document.IndexOf(TransitionTableDocument.BeginMarker, StringComparison.Ordinal);
        var end = document.IndexOf(TransitionTableDocument.EndMarker, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{path} has no transition table between its markers");

        var shown = document[(begin + TransitionTableDocument.BeginMarker.Length)..end].Trim();
        Assert.True(shown == TransitionTableDocument.Render().Trim(),
            $"docs/lifecycle.md does not show the transition table the code declares; regenerate it with: scripts/simulate.sh --table > table.md and paste it between the markers");
    }

    [Fact]
    public void Should_give_every_kind_of_work_a_claim_row()
    {
        var claims = Enum.GetValues<LifecycleInput>().Where(i => i.ToString().StartsWith("Claim", StringComparison.Ordinal)).Select(i => i.ToString()["Claim".Length..]).ToList();
        foreach (var work in Enum.GetValues<OrderWork>().Where(w => w != OrderWork.None))
        {
            Assert.Contains(work == OrderWork.CheckMargin ? "MarginCheck" : work.ToString(), claims);
        }
    }
}
