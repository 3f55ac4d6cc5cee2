using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Consumers;

/// <summary>
/// Runs IBKR's what-if for a MarginCheck and publishes <see cref="MarginCheckCompleted"/> through the outbox; when the
/// command was sent as a request, the relay also sends the event as its response. The what-if is a read, so running it
/// again for a redelivered message changes nothing at IBKR.
/// </summary>
public sealed class MarginCheckConsumer(
    ConsumerUnitOfWork unitOfWork,
    IBrokerageGateway gateway,
    AccountDirectory accounts,
    UserSessionOwnership ownership,
    IDbContextFactory<OrderProcessorDbContext> dbFactory) : IConsumer<MarginCheck>
{
    public async Task Consume(ConsumeContext<MarginCheck> context)
    {
        var check = context.Message;
        var asOrder = new PlaceOrder
        {
            OrderId = check.CheckId,
            UserId = check.UserId,
            AccountId = check.AccountId,
            Conid = check.Conid,
            Side = check.Side,
            Quantity = check.Quantity,
            OrderType = check.OrderType,
            LimitPrice = check.LimitPrice,
            StopPrice = check.StopPrice,
            TimeInForce = check.TimeInForce ?? TimeInForce.Day,
        };
        var violations = PlaceOrderValidator.Validate(asOrder).Select(v => v.Field == "orderId" ? v with { Field = "checkId", Message = v.Message.Replace("orderId", "checkId", StringComparison.Ordinal) } : v).ToList();

        IOrderEvent answer;
        if (violations.Count == 0)
        {
            await EnsureSessionIsOursAsync(check.UserId!, context.CancellationToken);
        }

        if (violations.Count > 0)
        {
            answer = Refusal(check, RejectionReasonCode.ValidationFailed, string.Join(" ", violations.Select(v => v.Message)), violations);
        }
        else if (!await accounts.OwnsAsync(check.UserId!, check.AccountId!, context.CancellationToken))
        {
            answer = Refusal(check, RejectionReasonCode.UnknownAccount, $"account {check.AccountId} does not belong to user {check.UserId} at IBKR.", []);
        }
        else
        {
            var saga = new Persistence.OrderSaga
            {
                OrderId = check.CheckId,
                ClientOrderId = ClientOrderId.For(check.CheckId),
                Conid = check.Conid,
                Side = check.Side,
                Quantity = check.Quantity,
                OrderType = check.OrderType,
                LimitPrice = check.LimitPrice,
                StopPrice = check.StopPrice,
                TimeInForce = asOrder.TimeInForce,
            };
            var whatIf = await gateway.WhatIfAsync(check.UserId!, check.AccountId!, [TicketMapper.For(saga)], context.CancellationToken);
            answer = OrderTransitions.MarginCompleted(check.UserId, check.AccountId, OutcomeTranslator.Figures(whatIf));
        }

        await unitOfWork.RunAsync(context, nameof(MarginCheckConsumer), (_, stamp) => Task.FromResult(
            OrderTransitions.Standalone(check.CheckId, answer, stamp).RespondTo(context.ResponseAddress, context.RequestId)));
    }

    private async Task EnsureSessionIsOursAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!(await ownership.TryOwnAsync(db, [userId], cancellationToken)).Contains(userId))
        {
            throw new UserSessionHeldElsewhereException(userId);
        }
    }

    private static OrderRejected Refusal(MarginCheck check, RejectionReasonCode code, string reason, IReadOnlyList<FieldViolation> violations) => new()
    {
        ReasonCode = code,
        Reason = reason,
        Violations = violations,
        Command = nameof(MarginCheck),
        UserId = OrderLimits.Clip(check.UserId),
        AccountId = OrderLimits.Clip(check.AccountId),
    };
}
