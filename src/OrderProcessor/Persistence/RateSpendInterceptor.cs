using System.Data.Common;

namespace OrderProcessor.Persistence;

/// <summary>
/// Puts an armed rate spend (<see cref="OrderProcessorDbContext.ArmRateSpend"/>) at the end of the first command a save
/// sends: the consumer that accepts an order spends its order-rate tokens in the same round trip as the order's insert,
/// one round trip fewer than spending them before deciding. <c>spend_rate_tokens</c> is a procedure (no result set);
/// when a bucket is short it raises and nothing of the transaction commits.
/// </summary>
public sealed class RateSpendInterceptor : SaveCommandAppendix<RateSpendCall>
{
    public static RateSpendInterceptor Instance { get; } = new();

    private RateSpendInterceptor()
    {
    }

    protected override RateSpendCall? TakeArmed(OrderProcessorDbContext db) => db.TakeRateSpend();

    protected override bool IsArmed(OrderProcessorDbContext db) => db.RateSpendArmed;

    protected override void Append(DbCommand command, RateSpendCall spend)
    {
        command.CommandText += RateSpendCall.Sql;
        command.Parameters.AddRange(spend.Parameters().ToArray());
    }
}
