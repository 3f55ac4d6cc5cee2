using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Http;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Ibkr.Accounts;
using OrderProcessor.Brokerage.Ibkr.Json;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Ibkr.Session;
using OrderProcessor.Brokerage.PiTrade;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Gateway;

internal sealed partial class BrokerageGateway : IBrokerageGateway
{
    /// <summary>Reads of the live orders one call makes at most while IBKR's answer is not a snapshot.</summary>
    private const int MaxLiveOrderReads = 3;

    private readonly IbkrCallExecutor _executor;
    private readonly IOrdersApi _orders;
    private readonly IAccountsApi _accounts;
    private readonly ISessionApi _session;
    private readonly BrokerageSessionManager _sessions;
    private readonly UserCallGates _gates;
    private readonly QuestionPolicy _questions;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly ILogger<BrokerageGateway> _logger;
    private readonly BearerTokenCache _tokens;

    public BrokerageGateway(
        IbkrCallExecutor executor,
        IOrdersApi orders,
        IAccountsApi accounts,
        ISessionApi session,
        BrokerageSessionManager sessions,
        UserCallGates gates,
        QuestionPolicy questions,
        IOptionsMonitor<BrokerageOptions> options,
        BearerTokenCache tokens,
        ILogger<BrokerageGateway> logger)
    {
        _tokens = tokens;
        _executor = executor;
        _orders = orders;
        _accounts = accounts;
        _session = session;
        _sessions = sessions;
        _gates = gates;
        _questions = questions;
        _options = options;
        _logger = logger;
    }

    public async Task<IReadOnlyList<string>> GetAccountsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var answer = await _executor.SendAsync(userId, IbkrEndpointCatalog.Accounts,
            ct => _accounts.GetAccountsAsync(userId, ct), cancellationToken);
        return answer?.Accounts ?? [];
    }

    public async Task<PlaceOrderResult> PlaceOrderAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentNullException.ThrowIfNull(tickets);
        if (tickets.Count == 0 || tickets.Any(static t => string.IsNullOrWhiteSpace(t.ClientOrderId)))
        {
            throw new ArgumentException("At least one ticket, each with a ClientOrderId (cOID), is required.", nameof(tickets));
        }

        // While PiTrade refuses the partner credentials no submission goes, for anyone (a probe may resume it).
        await _tokens.EnsurePartnerAcceptedAsync(userId, cancellationToken);
        var clientOrderIds = tickets.Select(static t => t.ClientOrderId).ToArray();
        var request = new OrdersSubmissionRequest([.. tickets.Select(t => OrderTicketMapper.ToIbkr(t, accountId))]);
        var result = await RunOrderSequenceAsync(userId, IbkrEndpointCatalog.PlaceOrder, clientOrderIds,
            ct => _executor.SendAsync(userId, IbkrEndpointCatalog.PlaceOrder, c => _orders.PlaceAsync(userId, accountId, request, c), ct, clientOrderIds),
            cancellationToken);
        LogPlaced(_logger, userId, string.Join(',', clientOrderIds), result.Outcome);
        return result;
    }

    public async Task<PlaceOrderResult> ModifyOrderAsync(string userId, string accountId, string orderId, OrderTicket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentNullException.ThrowIfNull(ticket);
        await _tokens.EnsurePartnerAcceptedAsync(userId, cancellationToken);
        var clientOrderIds = new[] { ticket.ClientOrderId };
        var request = OrderTicketMapper.ToIbkr(ticket, accountId);
        return await RunOrderSequenceAsync(userId, IbkrEndpointCatalog.ModifyOrder, clientOrderIds,
            ct => _executor.SendAsync(userId, IbkrEndpointCatalog.ModifyOrder, c => _orders.ModifyAsync(userId, accountId, orderId, request, c), ct, clientOrderIds),
            cancellationToken);
    }

    public async Task<WhatIfResult> WhatIfAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentNullException.ThrowIfNull(tickets);
        var request = new OrdersSubmissionRequest([.. tickets.Select(t => OrderTicketMapper.ToIbkr(t, accountId))]);
        var preview = await _executor.SendAsync(userId, IbkrEndpointCatalog.WhatIf,
            ct => _orders.WhatIfAsync(userId, accountId, request, ct), cancellationToken);
        return new WhatIfResult(
            FormattedNumber.ParseOrNull(preview?.Amount?.Amount),
            FormattedNumber.ParseOrNull(preview?.Amount?.Commission),
            FormattedNumber.ParseOrNull(preview?.Amount?.Total),
            Figure(preview?.Equity),
            Figure(preview?.Initial),
            Figure(preview?.Maintenance),
            Figure(preview?.Position),
            string.IsNullOrWhiteSpace(preview?.Warn) ? null : preview.Warn,
            string.IsNullOrWhiteSpace(preview?.Error) ? null : preview.Error);
    }

    public async Task<IReadOnlyList<LiveOrder>> GetLiveOrdersAsync(string userId, string? accountId = null, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        // IBKR may answer the first read of a brokerage session empty (with "snapshot": false): such an answer says
        // nothing about which orders exist, so it is read again (after the 5 s pacing) before it is returned, as is the
        // forced read (force=true clears the cache and that call itself answers empty). A caller
        // that counts an order absent must never see it.
        for (var read = 1; ; read++)
        {
            var answer = await _executor.SendAsync(userId, IbkrEndpointCatalog.LiveOrders,
                ct => _orders.GetLiveOrdersAsync(userId, null, force && read == 1 ? "true" : null, accountId, ct), cancellationToken);
            var seenBefore = _sessions.RecordLiveOrdersRead(userId);
            var forcedRead = force && read == 1;
            if ((seenBefore && answer?.Snapshot != false && !forcedRead) || read >= MaxLiveOrderReads)
            {
                if (answer?.Snapshot == false)
                {
                    throw new BrokerageException(BrokerageFailureKind.TransientBeforeSend,
                        $"IBKR's live orders were not a snapshot after {read} reads; nothing can be concluded from them.", userId, IbkrEndpointCatalog.LiveOrders.Name);
                }

                IReadOnlyList<LiveOrder> orders = answer?.Orders ?? [];
                _sessions.RecordLiveOrders(userId, orders.Any(static o => o.IsWorking));
                return orders;
            }
        }
    }

    public async Task<IReadOnlyList<Trade>> GetTradesAsync(string userId, int days, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, IbkrLimits.MaxTradeDays);
        int? query = days == 1 ? null : days;
        var trades = await _executor.SendAsync(userId, IbkrEndpointCatalog.Trades, ct => _orders.GetTradesAsync(userId, query, ct), cancellationToken);
        return trades ?? [];
    }

    public async Task<OrderStatusResponse> GetOrderStatusAsync(string userId, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var status = await _executor.SendAsync(userId, IbkrEndpointCatalog.OrderStatus,
            ct => _orders.GetStatusAsync(userId, orderId, ct), cancellationToken);
        if (status is null || (!string.IsNullOrWhiteSpace(status.Error) && status.OrderStatus is null))
        {
            throw new BrokerageException(BrokerageFailureKind.Rejected, $"IBKR has no status for order {orderId}: {status?.Error}",
                userId, IbkrEndpointCatalog.OrderStatus.Name, status?.Error);
        }

        return status;
    }

    public async Task<CancelOrderResult> CancelOrderAsync(string userId, string accountId, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        CancelOrderAnswer? answer;
        try
        {
            answer = await _executor.SendAsync(userId, IbkrEndpointCatalog.CancelOrder,
                ct => _orders.CancelAsync(userId, accountId, orderId, ct), cancellationToken);
        }
        catch (BrokerageException ex) when (ex.Kind == BrokerageFailureKind.Rejected)
        {
            return new CancelOrderResult(false, orderId, null, ex.BrokerText ?? ex.Message);
        }

        if (answer is null || !string.IsNullOrWhiteSpace(answer.Error))
        {
            return new CancelOrderResult(false, orderId, null, answer?.Error ?? "empty answer");
        }

        return new CancelOrderResult(true, answer.OrderId ?? orderId, answer.Msg, null);
    }

    public async Task LogoutAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await _executor.SendAsync(userId, IbkrEndpointCatalog.Logout, ct => _session.LogoutAsync(userId, ct), cancellationToken, resendAfterRecovery: false);
        _sessions.MarkLoggedOut(userId);
    }

    /// <summary>
    /// place/modify → reply… → accepted as one critical section of the user: nothing else of this user may reach IBKR
    /// in between, or IBKR drops the pending question. A bracket or OCA request can end accepted in part: every ticket
    /// is then either in the result's orders or in its refused tickets.
    /// </summary>
    private async Task<PlaceOrderResult> RunOrderSequenceAsync(
        string userId,
        IbkrEndpoint endpoint,
        IReadOnlyList<string> clientOrderIds,
        Func<CancellationToken, Task<OrderSubmissionAnswer?>> submit,
        CancellationToken cancellationToken)
    {
        using var lease = await _gates.EnterExclusiveAsync(userId, cancellationToken);
        using var exclusive = UserCallGates.MarkExclusive(userId);
        var confirmed = new List<string>();
        var placed = new List<PlacedOrder>();
        var refused = new List<TicketRejection>();
        // The tickets IBKR has not decided yet, in request order: the next answer's entries are theirs, by position.
        IReadOnlyList<string?> undecided = clientOrderIds;
        OrderSubmissionAnswer? answer;
        try
        {
            answer = await submit(cancellationToken);
        }
        catch (BrokerageException ex) when (ex.Kind == BrokerageFailureKind.Rejected)
        {
            return Refused(ex.BrokerText ?? ex.Message, confirmed);
        }

        var maxRounds = _options.CurrentValue.Questions.MaxReplyRounds;
        for (var round = 0; ; round++)
        {
            if (answer is null)
            {
                throw new AmbiguousOrderOutcomeException(
                    $"IBKR answered {endpoint.Name} with an empty body. Reconcile by cOID; do not re-send.",
                    userId, endpoint.Name, clientOrderIds, null);
            }

            if (answer.Unrecognised is { } unrecognised)
            {
                // A 2xx the guard cannot read may still have placed (or replied, or modified): never a refusal.
                throw new AmbiguousOrderOutcomeException(
                    $"IBKR answered {(round == 0 ? endpoint.Name : IbkrEndpointCatalog.Reply.Name)} with a 2xx the guard does not recognise ({unrecognised}). Reconcile by cOID; do not re-send.",
                    userId, endpoint.Name, clientOrderIds, null);
            }

            if (!string.IsNullOrWhiteSpace(answer.Error) || answer.Prompt is not null)
            {
                // A whole refusal (or a prompt the guard does not answer) after part of a group was accepted refuses
                // only the tickets still undecided.
                var text = answer.Error ?? answer.Prompt!.Text ?? "IBKR prompt";
                IReadOnlyList<string> ids = answer.Prompt?.MessageId is { } promptId ? [promptId] : [];
                if (placed.Count == 0 && refused.Count == 0)
                {
                    return answer.Prompt is null ? Refused(text, confirmed) : PlaceOrderResult.Rejected(new OrderRejection(text, ids), confirmed);
                }

                refused.AddRange(undecided.Select(coid => new TicketRejection(coid, text, ids)));
                return Outcome(userId, placed, refused, confirmed);
            }

            if (answer.Entries.Count == 0)
            {
                throw new AmbiguousOrderOutcomeException(
                    "IBKR answered the order request with neither an order id, a question nor an error. Reconcile by cOID.",
                    userId, endpoint.Name, clientOrderIds, null);
            }

            var (question, asked) = Tally(answer.Entries, undecided, placed, refused);
            if (question is null)
            {
                return Outcome(userId, placed, refused, confirmed);
            }

            undecided = asked;
            var questionIds = question.MessageIds ?? [];
            var questionText = string.Join(" ", question.Message ?? []);
            if (string.IsNullOrWhiteSpace(question.Id))
            {
                refused.AddRange(asked.Select(coid => new TicketRejection(coid, questionText, questionIds)));
                return Outcome(userId, placed, refused, confirmed);
            }

            if (!_questions.MayConfirm(questionIds) || round >= maxRounds)
            {
                await DeclineAsync(userId, question.Id, clientOrderIds);
                LogQuestionDeclined(_logger, userId, string.Join(',', questionIds), questionText);
                refused.AddRange(asked.Select(coid => new TicketRejection(coid, questionText, questionIds)));
                return Outcome(userId, placed, refused, confirmed);
            }

            confirmed.AddRange(questionIds);
            try
            {
                answer = await _executor.SendAsync(userId, IbkrEndpointCatalog.Reply,
                    ct => _orders.ReplyAsync(userId, question.Id, new OrderReplyRequest(true), ct),
                    cancellationToken, clientOrderIds, resendAfterRecovery: false);
            }
            catch (BrokerageException ex) when (ex.Kind == BrokerageFailureKind.Rejected)
            {
                if (placed.Count == 0 && refused.Count == 0)
                {
                    return Refused(ex.BrokerText ?? ex.Message, confirmed);
                }

                refused.AddRange(asked.Select(coid => new TicketRejection(coid, ex.BrokerText ?? ex.Message, [])));
                return Outcome(userId, placed, refused, confirmed);
            }
            catch (BrokerageException ex) when (ex is not AmbiguousOrderOutcomeException && (placed.Count > 0 || refused.Count > 0))
            {
                // Part of the group is already decided at IBKR (accepted or refused) when the reply fails for another
                // reason (a token, set-up, partner or pacing failure before it was sent, a transport failure after): a
                // whole-group failure would drop the accepted tickets (nothing would follow them) or send them again.
                // The group is reconciled by cOID instead, which finds what IBKR holds.
                throw new AmbiguousOrderOutcomeException(
                    $"The confirmation of {question.Id} failed ({ex.Kind}) after part of the group was decided. Reconcile by cOID; do not re-send.",
                    userId, IbkrEndpointCatalog.Reply.Name, clientOrderIds, ex);
            }
        }
    }

    /// <summary>
    /// Sorts one array answer's entries into accepted and refused tickets. Entry i answers the i-th undecided ticket when
    /// the counts match (IBKR names neither cOID); an answer of questions only concerns every undecided ticket. Returns
    /// the first question, if any, and the tickets waiting for it.
    /// </summary>
    private static (OrderReplyMessage? Question, IReadOnlyList<string?> Asked) Tally(
        IReadOnlyList<OrderSubmissionAnswer.Entry> entries, IReadOnlyList<string?> undecided, List<PlacedOrder> placed, List<TicketRejection> refused)
    {
        if (entries.All(static e => e.Question is not null))
        {
            return (entries[0].Question, undecided);
        }

        var positional = entries.Count == undecided.Count;
        OrderReplyMessage? question = null;
        var asked = new List<string?>();
        for (var i = 0; i < entries.Count; i++)
        {
            var coid = positional ? undecided[i] : null;
            var entry = entries[i];
            if (entry.Accepted is { } accepted)
            {
                placed.Add(new PlacedOrder(accepted.LocalOrderId ?? coid, accepted.OrderId ?? string.Empty, accepted.OrderStatus));
            }
            else if (entry.Error is { } error)
            {
                // IBKR's duplicate text names the cOID itself; otherwise the position tells it.
                var named = DuplicateClientOrderId().Match(error);
                refused.Add(new TicketRejection(named.Success ? named.Groups["coid"].Value : coid, error, []));
            }
            else
            {
                question ??= entry.Question;
                asked.Add(coid);
            }
        }

        return (question, asked);
    }

    /// <summary>Accepted when IBKR took at least one ticket (refused ones alongside); otherwise the first refusal decides.</summary>
    private PlaceOrderResult Outcome(string userId, List<PlacedOrder> placed, List<TicketRejection> refused, IReadOnlyList<string> confirmed)
    {
        if (placed.Count == 0)
        {
            var first = refused[0];
            return first.QuestionIds.Count == 0
                ? Refused(first.Text, confirmed)
                : PlaceOrderResult.Rejected(new OrderRejection(first.Text, first.QuestionIds), confirmed);
        }

        // Keep the session tickled until the next live-orders poll says otherwise.
        _sessions.RecordLiveOrders(userId, true);
        return PlaceOrderResult.Accepted(placed, confirmed) with { RejectedTickets = refused };
    }

    /// <summary>Leaves the question unconfirmed; IBKR drops the order. Failure here cannot place anything, so it is only logged.</summary>
    private async Task DeclineAsync(string userId, string replyId, IReadOnlyList<string> clientOrderIds)
    {
        try
        {
            await _executor.SendAsync(userId, IbkrEndpointCatalog.Reply,
                ct => _orders.ReplyAsync(userId, replyId, new OrderReplyRequest(false), ct),
                CancellationToken.None, clientOrderIds, resendAfterRecovery: false);
        }
        catch (BrokerageException ex)
        {
            LogDeclineFailed(_logger, userId, ex.Kind);
        }
    }

    private static PlaceOrderResult Refused(string text, IReadOnlyList<string> confirmed) =>
        DuplicateClientOrderId().IsMatch(text)
            ? PlaceOrderResult.AlreadyRegistered(text)
            : PlaceOrderResult.Rejected(new OrderRejection(text, []), confirmed);

    private static WhatIfFigure Figure(PreviewChange? change) => new(
        FormattedNumber.ParseOrNull(change?.Current),
        FormattedNumber.ParseOrNull(change?.Change),
        FormattedNumber.ParseOrNull(change?.After));

    [GeneratedRegex(@"Local order ID=(?<coid>.*) is already registered", RegexOptions.CultureInvariant)]
    private static partial Regex DuplicateClientOrderId();

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {ClientOrderIds} of user {UserId}: {Outcome}")]
    private static partial void LogPlaced(ILogger logger, string userId, string clientOrderIds, PlaceOrderOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order question {QuestionIds} of user {UserId} is not on the allow-list; order left unconfirmed: {QuestionText}")]
    private static partial void LogQuestionDeclined(ILogger logger, string userId, string questionIds, string questionText);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Declining an order question for user {UserId} failed ({Kind}); IBKR drops unanswered questions anyway")]
    private static partial void LogDeclineFailed(ILogger logger, string userId, BrokerageFailureKind kind);
}
