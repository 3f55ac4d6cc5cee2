using OrderProcessor.Contracts;

namespace OrderProcessor.Cli.Demo;

/// <summary>One command of the demo and what the processor must make of it.</summary>
/// <param name="Label">What the order shows, for the live view.</param>
/// <param name="Command">The PlaceOrder.</param>
/// <param name="Expected">The final state of every order the command creates (a bracket or an OCA group creates several).</param>
/// <param name="RejectedField">For an invalid command: the field the rejection must name.</param>
/// <param name="FollowUp">A command the demo sends once the order works at IBKR (a cancel or a modification).</param>
public sealed record DemoOrder(
    string Label,
    PlaceOrder Command,
    IReadOnlyDictionary<Guid, OrderStatus> Expected,
    string? RejectedField = null,
    object? FollowUp = null);
