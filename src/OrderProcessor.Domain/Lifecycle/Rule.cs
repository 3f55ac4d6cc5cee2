namespace OrderProcessor.Orders;

/// <summary>
/// One cell's behaviour in the transition table: a name (as the table in docs/lifecycle.md shows it), what it does in
/// a sentence, and the change itself.
/// </summary>
/// <param name="Name">Short, kebab-case; the table's cells show it.</param>
/// <param name="Does">What it does, for the table's legend.</param>
/// <param name="Apply">The change.</param>
/// <param name="Impossible">
/// True for a pair the rest of the machine never produces (e.g. IBKR reporting an order that was never sent). It is
/// still handled safely, but the simulation counts every occurrence as an invariant violation.
/// </param>
public sealed record Rule(string Name, string Does, Action<Transition> Apply, bool Impossible = false);
