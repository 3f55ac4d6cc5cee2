using OrderProcessor.Contracts;

namespace OrderProcessor.Cli.Demo;

/// <summary>One command of the demo and what the processor must make of it.</summary>
/// <param name="Label">What the order shows, for the live view.</param>
/// <param name="Command">The PlaceOrder.</param>
/// <param name="ExpectedOrderIds">Every order the command creates (a bracket or an OCA group creates several).</param>
/// <param name="RejectedField">For an invalid command: the field the rejection must name.</param>
public sealed record DemoOrder(string Label, PlaceOrder Command, IReadOnlyList<Guid> ExpectedOrderIds, string? RejectedField);
