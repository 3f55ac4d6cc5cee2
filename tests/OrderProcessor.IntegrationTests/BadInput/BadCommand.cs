namespace OrderProcessor.IntegrationTests.BadInput;

/// <summary>One malformed or hostile command and what the processor must make of it.</summary>
/// <param name="Name">What is wrong with it.</param>
/// <param name="Body">The MassTransit envelope's <c>message</c>, as raw JSON (or not JSON at all).</param>
/// <param name="Field">The field the rejection must name; null for a refusal without a field (or a fault).</param>
/// <param name="Rule">The rule the rejection must name.</param>
/// <param name="Outcome">Rejected (an OrderRejected event), Fault (the _error queue) or Skipped (the _skipped queue).</param>
/// <param name="MessageType">The envelope's message type.</param>
public sealed record BadCommand(string Name, string Body, string? Field, string? Rule, BadOutcome Outcome = BadOutcome.Rejected, string MessageType = "PlaceOrder");

public enum BadOutcome
{
    Rejected,
    UnknownAccount,
    Fault,
    Skipped,
}
