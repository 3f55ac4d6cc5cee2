using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Persistence;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>
/// Whose an order is (user and account), for filtering events that do not say it themselves: taken from events that do
/// (an order's first event: OrderAccepted, a refused PlaceOrder, a standalone margin check), otherwise read once per
/// order from the <c>orders</c> table.
/// </summary>
public sealed class OrderOwnerLookup(IDbContextFactory<OrderProcessorDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<Guid, (string? UserId, string? AccountId)> _owners = new();

    /// <summary>Set when the database could not be read; events of unknown orders then pass no owner filter.</summary>
    public string? DatabaseProblem { get; private set; }

    public async Task<(string? UserId, string? AccountId)> OwnerOfAsync(IOrderEvent orderEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderEvent);
        // A later rejection names the user of the refused command, who need not own the order (a foreign cancel), and
        // so does one with sequence 0 (outside the order's chain: a duplicate or unauthorized command claims any user):
        // only an order's first event says whose it is. A standalone margin check's completion is its only event.
        (string?, string?)? named = orderEvent switch
        {
            OrderAccepted a => (a.UserId, a.AccountId),
            OrderRejected { Sequence: 1 } r => (r.UserId, r.AccountId),
            MarginCheckCompleted { Sequence: <= 1 } m => (m.UserId, m.AccountId),
            _ => null,
        };
        if (named is { } owner)
        {
            _owners[orderEvent.OrderId] = owner;
            return owner;
        }

        if (_owners.TryGetValue(orderEvent.OrderId, out var known))
        {
            return known;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var row = await db.Orders.AsNoTracking().Where(o => o.OrderId == orderEvent.OrderId)
                .Select(o => new { o.UserId, o.AccountId }).SingleOrDefaultAsync(cancellationToken);
            var found = (row?.UserId, row?.AccountId);
            _owners[orderEvent.OrderId] = found;
            return found;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            DatabaseProblem ??= exception.GetBaseException().Message;
            return (null, null);
        }
    }
}
