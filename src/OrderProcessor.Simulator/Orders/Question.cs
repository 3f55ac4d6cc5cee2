namespace OrderProcessor.Simulator.Orders;

/// <summary>An order reply message ("question") such as o163, with its text.</summary>
public sealed record Question(string Id, string Text);
