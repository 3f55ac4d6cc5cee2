using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>
/// Sends a cancel request (again, if an earlier one was not confirmed in time). An order whose IBKR id is not known
/// yet (placed by an answer that was lost, or a group member the answer did not name) is looked up by cOID first.
/// </summary>
public sealed class CancelWork(IBrokerageGateway gateway, SharedLiveOrders liveOrders, IOrderStore store, WorkResults results) : IBrokerWork
{
    public OrderWork Kind => OrderWork.Cancel;

    public async Task RunAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var order = work.Leader;
        OrderInput outcome;
        try
        {
            var brokerOrderId = order.BrokerOrderId ?? await LookUpAsync(work, cancellationToken);
            if (brokerOrderId is null)
            {
                outcome = new CancelNotSent(work.Token, new CallFailure("UnknownOrderId", "IBKR's order id is not known yet (the live orders do not list its cOID)", Retryable: true));
            }
            else
            {
                var result = await gateway.CancelOrderAsync(work.UserId, work.AccountId, brokerOrderId, cancellationToken);
                outcome = result.Requested ? new CancelSent(work.Token) : new CancelRefused(work.Token, result.RejectionText ?? result.Message ?? "IBKR refused the cancel");
            }
        }
        catch (BrokerageException exception) when (exception.IsSafeToRepeat)
        {
            outcome = (OrderInput?)OutcomeTranslator.Unavailable(work.Token, work.Work, exception) ?? new CancelNotSent(work.Token, OutcomeTranslator.ReadFailure(exception));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The cancel may have reached IBKR: the status poll shows it; if the order still works later, it is sent again.
            outcome = new CancelAmbiguous(work.Token, exception.Message);
        }

        await results.ApplyAsync(work, outcome);
    }

    /// <summary>Finds the order's IBKR id in the live orders and records what they say of it.</summary>
    private async Task<string?> LookUpAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var order = work.Leader;
        var found = OutcomeTranslator.Observations(await liveOrders.ReadAsync(work.UserId, cancellationToken), [order.ClientOrderId]);
        if (!found.TryGetValue(order.ClientOrderId, out var observation))
        {
            return null;
        }

        await store.UpdateGroupAsync(work, group => OrderLifecycle.Apply([group[0]], new Observed(observation), results.Stamp(group[0]), results.Settings), CancellationToken.None);

        // An order that already ended is not cancelled: the report just taken in settled it.
        return BrokerOrderStates.IsEnded(observation.State) ? null : observation.BrokerOrderId;
    }
}
