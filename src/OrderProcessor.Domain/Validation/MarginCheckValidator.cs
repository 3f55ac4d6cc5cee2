using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Checks a <see cref="MarginCheck"/>: its ids, and the order it asks about with the same rules as a placed order
/// (<see cref="TicketValidator"/> on <see cref="TicketTerms.Of(MarginCheck)"/>). Its time in force may be left out
/// (the what-if asks about a DAY order).
/// </summary>
public static class MarginCheckValidator
{
    public static IReadOnlyList<FieldViolation> Validate(MarginCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var violations = new ViolationList();
        if (check.CheckId == Guid.Empty)
        {
            violations.Add("checkId", "required", "checkId is required and must not be the empty GUID.");
        }

        violations.RequireId("userId", check.UserId);
        violations.RequireId("accountId", check.AccountId);
        TicketValidator.AddTo(violations, TicketTerms.Of(check));
        return ViolationCap.Apply(violations.ToList());
    }
}
