namespace OrderProcessor.Consumers;

/// <summary>
/// A command whose JSON does not bind to its contract type (a value of the wrong JSON type, a number beyond its type's
/// range) but whose id could be read: enough to answer it with an OrderRejected naming the field.
/// </summary>
/// <param name="Id">The command's order id (a margin check's check id).</param>
/// <param name="UserId">The user it names, when that field could be read as a string.</param>
/// <param name="AccountId">The account it names, when that field could be read as a string.</param>
/// <param name="Field">The JSON path of the first field that does not bind, in the contract's spelling (e.g. <c>ocaGroup.orders[0].conid</c>).</param>
/// <param name="Message">What the field should have been, for people.</param>
/// <param name="ContentHash">SHA-256 of the command's JSON as received: a redelivery repeats it, a different command under its message id does not.</param>
public sealed record UnboundCommand(Guid Id, string? UserId, string? AccountId, string Field, string Message, string ContentHash);
