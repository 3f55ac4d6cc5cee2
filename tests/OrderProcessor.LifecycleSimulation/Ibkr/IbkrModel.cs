using System.Globalization;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Json;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;
using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>
/// An adversarial, deterministic model of IBKR behind the guard: sessions per login, the 24 h duplicate-cOID window,
/// live orders that lag, repeat and cover only the current session's ended orders, trades by day, cancels that are only
/// requests, partial acceptance of groups, questions and refusals. Every call waits until the schedule resolves it.
/// Keeps a ledger of every acceptance so invariants can be checked against what IBKR really has. The rules it shares with
/// the HTTP simulator (the duplicate window, what live orders list, what trades cover) are the simulator's own
/// <see cref="IbkrRules"/>.
/// </summary>
public sealed class IbkrModel(SimClock clock, IbkrRulesOfTheModel rules)
{
    private readonly List<ModelOrder> _orders = [];
    private readonly Dictionary<(string Account, string ClientOrderId), DateTimeOffset> _registered = [];
    private readonly List<Execution> _executions = [];
    private readonly Dictionary<string, ModelSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<PendingCall> _pending = [];
    private readonly Dictionary<string, ModelStream> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Until, bool Scheduled)> _maintenance = new(StringComparer.Ordinal);
    private long _nextOrderId = 1_000_001;
    private long _nextCallId = 1;
    private long _nextConnectionId = 1;
    private long _nextFrame = 1;

    public IbkrRulesOfTheModel Rules => rules;

    /// <summary>Every order IBKR accepted, in acceptance order (two entries with one cOID: placed twice).</summary>
    public IReadOnlyList<ModelOrder> Ledger => _orders;

    public IReadOnlyList<Execution> Executions => _executions;

    public IReadOnlyList<PendingCall> Pending => _pending;

    /// <summary>The open websockets, by user (one per user: one session per username).</summary>
    public IReadOnlyDictionary<string, ModelStream> Streams => _streams;

    /// <summary>A socket IBKR closed (or that went silent for good), and why; the world tells the incarnation that opened it.</summary>
    public Action<ModelStream, StreamGapCause>? StreamEnded { get; set; }

    /// <summary>Frames IBKR produced on sockets, by topic (for the coverage report).</summary>
    public Dictionary<string, int> FramesProduced { get; } = new(StringComparer.Ordinal);

    /// <summary>Placements sent for a cOID IBKR already had: each a resend on a proof of absence that was wrong.</summary>
    public List<string> ResentWhileRegistered { get; } = [];

    /// <summary>Calls made, by kind, for the report and the "no work loops" check.</summary>
    public Dictionary<string, int> CallsByKind { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether an instance holds a user's session lease right now, by the database (the world sets it).</summary>
    public Func<string, string, bool>? LeaseHeld { get; set; }

    /// <summary>Requests IBKR acted on from an instance that did not hold the user's lease at that moment: each one a violation.</summary>
    public List<string> ForeignActs { get; } = [];

    /// <summary>The instance incarnation whose request IBKR is acting on (recorded with each acceptance).</summary>
    public string ActingFor { get; private set; } = string.Empty;

    /// <summary>The step of the schedule now running (the world sets it), recorded with each acceptance.</summary>
    public int Step { get; set; }

    /// <summary>The business twist the next place or modify takes (set by the resolving step): a number in 0..99.</summary>
    public int Variant { get; set; }

    /// <summary>State-changing requests sent for a user while IBKR was in maintenance for it: each one a violation.</summary>
    public List<string> SentDuringMaintenance { get; } = [];

    /// <summary>Windows started, scheduled and unscheduled (for the coverage report).</summary>
    public Dictionary<string, int> Windows { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// IBKR goes into maintenance for the user (each user is a region of its own here) until <paramref name="until"/>:
    /// the brokerage session and the socket are dropped; every call answers 503 and acts on nothing until then; the
    /// exchange goes on (fills and expiries happen). <paramref name="scheduled"/>: the processor's schedule knows the
    /// window (its end is expected), otherwise it is an outage the processor detects.
    /// </summary>
    public void StartMaintenance(string userId, DateTimeOffset until, bool scheduled)
    {
        // A window that starts while another runs extends it, never shortens it (an end the processor was told holds).
        if (MaintenanceOf(userId) is { } running)
        {
            (until, scheduled) = (running.Until > until ? running.Until : until, running.Scheduled || scheduled);
        }

        _maintenance[userId] = (until, scheduled);
        Windows[scheduled ? "scheduled" : "unscheduled"] = Windows.GetValueOrDefault(scheduled ? "scheduled" : "unscheduled") + 1;
        DropSession(userId);
    }

    /// <summary>An outage of the user ends now (a scheduled window runs to its end: the processor expects it then).</summary>
    public void EndMaintenance(string userId)
    {
        if (_maintenance.TryGetValue(userId, out var window) && !window.Scheduled)
        {
            _maintenance.Remove(userId);
        }
    }

    /// <summary>Every outage ends (the schedule is over: the simulation settles).</summary>
    public void EndUnscheduledMaintenance()
    {
        foreach (var user in _maintenance.Where(m => !m.Value.Scheduled).Select(m => m.Key).ToList())
        {
            _maintenance.Remove(user);
        }
    }

    /// <summary>When the last window still running ends, if any.</summary>
    public DateTimeOffset? LastMaintenanceEnd => _maintenance.Values.Where(w => w.Until > clock.Now).Select(w => (DateTimeOffset?)w.Until).Max();

    /// <summary>The user's window, while it lasts.</summary>
    public (DateTimeOffset Until, bool Scheduled)? MaintenanceOf(string userId) =>
        _maintenance.TryGetValue(userId, out var window) && window.Until > clock.Now ? window : null;

    public IReadOnlyList<string> UsersInMaintenance => [.. _maintenance.Keys.Where(u => MaintenanceOf(u) is not null)];

    public static string AccountOf(string userId) => "DU" + (StableHash(userId) % 9_000_000 + 1_000_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>FNV-1a: the same in every process (string.GetHashCode and HashCode.Combine are randomised per process).</summary>
    public static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    internal Task<T> Call<T>(string kind, string instanceId, int incarnation, string userId, bool changesState, Func<T> act,
        DateTimeOffset deadline, CancellationToken cancellationToken, T? staleAnswer = default)
    {
        var completion = new TaskCompletionSource<T>();
        CallsByKind[kind] = CallsByKind.GetValueOrDefault(kind) + 1;
        if (changesState && MaintenanceOf(userId) is not null)
        {
            SentDuringMaintenance.Add($"step {Step}: {kind} of {userId} sent by {instanceId} during IBKR's maintenance");
        }

        var call = new PendingCall
        {
            Id = _nextCallId++,
            Kind = kind,
            InstanceId = instanceId,
            Incarnation = incarnation,
            UserId = userId,
            Deadline = deadline,
            ChangesState = changesState,
            StaleAnswer = staleAnswer,
            Act = () => act(),
            Complete = (answer, failure) =>
            {
                if (failure is not null)
                {
                    completion.SetException(failure);
                }
                else
                {
                    completion.SetResult((T)answer!);
                }
            },
        };
        _pending.Add(call);

        // The caller's deadline: a request IBKR has not acted on is given up (the guard was still waiting for its pacing
        // slot or its connection); one it acted on loses its answer, which for a request that changes state is ambiguous.
        cancellationToken.Register(() =>
        {
            if (!_pending.Remove(call))
            {
                return;
            }

            if (call.Acted)
            {
                completion.TrySetException(call.ChangesState
                    ? new AmbiguousOrderOutcomeException($"{kind}: cancelled by the caller after sending")
                    : new BrokerageException(BrokerageFailureKind.TransientBeforeSend, $"{kind}: cancelled"));
            }
            else
            {
                completion.TrySetCanceled(cancellationToken);
            }
        });
        return completion.Task;
    }

    /// <summary>
    /// Resolves a pending call. <paramref name="deliverTo"/> says whether its caller is still alive; a dead caller's
    /// request may still be acted on, but nobody hears the answer.
    /// </summary>
    public void Resolve(PendingCall call, CallMode mode, int variant, bool deliverTo)
    {
        Variant = variant;
        if (!call.Acted && clock.Now > call.Deadline)
        {
            // Past its caller's deadline: it can no longer reach IBKR. A caller that is still there (a call made without
            // the work's token, such as the shared accounts read) sees the guard's own timeout.
            _pending.Remove(call);
            if (deliverTo)
            {
                call.Complete(null, call.ChangesState
                    ? new AmbiguousOrderOutcomeException($"{call.Kind}: timed out")
                    : new BrokerageException(BrokerageFailureKind.TransientBeforeSend, $"{call.Kind}: timed out"));
            }

            return;
        }

        if (call.Acted)
        {
            // An answer held earlier: delivered now (or lost, for a caller that is gone).
            _pending.Remove(call);
            if (deliverTo)
            {
                call.Complete(call.HeldAnswer, call.HeldFailure);
            }

            return;
        }

        if (MaintenanceOf(call.UserId) is not null)
        {
            // In maintenance IBKR answers every call 503 and acts on nothing (a request sent before the window began
            // meets it too).
            mode = CallMode.ServerErrorBeforeActing;
        }

        if (mode == CallMode.Hang)
        {
            // Nothing comes back: the caller's deadline ends it.
            return;
        }

        if (mode == CallMode.Stale && call.StaleAnswer is { } stale)
        {
            _pending.Remove(call);
            if (deliverTo)
            {
                call.Complete(stale, null);
            }

            return;
        }

        object? answer = null;
        Exception? failure = null;
        var acts = mode is CallMode.Answer or CallMode.Stale or CallMode.ActThenHold or CallMode.ActThenLose;
        if (acts)
        {
            if (LeaseHeld is { } held && !held(call.UserId, call.InstanceId))
            {
                ForeignActs.Add($"step {Step}: {call} reached IBKR while {call.InstanceId} did not hold {call.UserId}'s lease");
            }

            EnsureSession(call.UserId, call.InstanceId);
            ActingFor = $"{call.InstanceId}#{call.Incarnation}";
            try
            {
                answer = call.Act();
            }
            catch (BrokerageException exception)
            {
                failure = exception;
            }
        }

        failure = mode switch
        {
            CallMode.ActThenLose or CallMode.ServerErrorBeforeActing => call.ChangesState
                ? new AmbiguousOrderOutcomeException($"{call.Kind}: no answer (timeout after the request left)")
                : new BrokerageException(BrokerageFailureKind.TransientBeforeSend, $"{call.Kind}: no answer"),
            CallMode.NotSent => new BrokerageException(BrokerageFailureKind.TransientBeforeSend, $"{call.Kind}: connection refused"),
            CallMode.Paced => new BrokerageException(BrokerageFailureKind.Paced, $"{call.Kind}: 429"),
            CallMode.SessionLost => new BrokerageException(BrokerageFailureKind.SessionLost, $"{call.Kind}: session lost"),
            _ => failure,
        };

        if (mode == CallMode.ActThenHold)
        {
            call.Acted = true;
            call.HeldAnswer = answer;
            call.HeldFailure = failure;
            return;
        }

        _pending.Remove(call);
        if (deliverTo)
        {
            call.Complete(answer, failure);
        }
    }

    /// <summary>Forgets the calls of a crashed incarnation that were never sent (the rest may still reach IBKR).</summary>
    public void DropUnsent(string instanceId) => _pending.RemoveAll(c => c.InstanceId == instanceId && c.Acted);

    // ---- What IBKR does with each request (called when the schedule lets a request reach it) ----

    internal IReadOnlyList<string> Accounts(string userId) => [AccountOf(userId)];

    internal PlaceOrderResult Place(string userId, string accountId, IReadOnlyList<OrderTicket> tickets)
    {
        var duplicate = tickets.FirstOrDefault(t => _registered.TryGetValue((accountId, t.ClientOrderId), out var at)
            && IbkrRules.IsDuplicateClientOrderId(at, clock.Now, rules.DuplicateWindow));
        if (duplicate is not null)
        {
            ResentWhileRegistered.Add($"step {Step}: {duplicate.ClientOrderId} sent again while IBKR had it (registered {_registered[(accountId, duplicate.ClientOrderId)]:HH:mm:ss.f})");
        }

        if (duplicate is not null && !rules.DuplicateCheckedAfterQuestions)
        {
            return AlreadyRegistered(duplicate);
        }

        // Business checks and questions come first when IBKR checks the cOID late.
        if (Variant < 4)
        {
            return PlaceOrderResult.Rejected(new OrderRejection("Are you sure you want to submit this order? (o9999)", ["o9999"]), []);
        }

        if (Variant < 8)
        {
            return PlaceOrderResult.Rejected(new OrderRejection("Order rejected: insufficient equity", []), []);
        }

        if (duplicate is not null)
        {
            return AlreadyRegistered(duplicate);
        }

        var refused = tickets.Count > 1 && Variant < 16 ? tickets[^1] : null;
        var ocaKey = tickets.Count > 1 && tickets.All(t => t.IsSingleGroup) ? tickets[0].ClientOrderId : null;
        var placed = new List<PlacedOrder>();
        foreach (var ticket in tickets.Where(t => t != refused))
        {
            var brokerOrderId = (_nextOrderId++).ToString(CultureInfo.InvariantCulture);
            var terms = TermsOf?.Invoke(ticket.ClientOrderId) ?? ModelTerms.None;
            var price = terms.Any ? ExecutionPriceOf(brokerOrderId, terms) : (decimal?)null;
            var order = new ModelOrder
            {
                BrokerOrderId = brokerOrderId,
                Terms = terms,
                ExecutionPrice = price,
                // IBKR converts the cash at the price it fills at, rounded DOWN to 0.0001: the fills never cost more than the cash.
                CashUnits = terms.CashQuantity is { } cash ? FillFigures.RoundDown(cash / price!.Value) : null,
                TellsTotal = terms.CashQuantity is null || StableHash(brokerOrderId) % 3 != 0,
                ClientOrderId = ticket.ClientOrderId,
                UserId = userId,
                AccountId = accountId,
                Ticket = ticket,
                AcceptedAt = clock.Now,
                AcceptedStep = Step,
                SentBy = ActingFor,
                OcaKey = ocaKey,
                State = ticket.ParentClientOrderId is not null || ticket.OrderType is BrokerOrderType.Stop or BrokerOrderType.StopLimit
                    ? BrokerOrderState.PreSubmitted
                    : BrokerOrderState.Submitted,
            };
            _orders.Add(order);
            PlacedTickets.TryAdd(ticket.ClientOrderId, ticket);
            _registered[(accountId, ticket.ClientOrderId)] = clock.Now;

            // Streamed when IBKR registers it: possibly before the answer to the place reaches the caller.
            Publish(order);
            placed.Add(new PlacedOrder(null, order.BrokerOrderId, order.State.ToString()));
        }

        return PlaceOrderResult.Accepted(placed, []) with
        {
            RejectedTickets = refused is null ? [] : [new TicketRejection(refused.ClientOrderId, "Order rejected: price band exceeded", [])],
        };
    }

    internal CancelOrderResult Cancel(string userId, string accountId, string brokerOrderId)
    {
        var order = _orders.Find(o => o.BrokerOrderId == brokerOrderId && o.AccountId == accountId && o.UserId == userId);
        if (order is null)
        {
            return new CancelOrderResult(false, brokerOrderId, null, $"OrderID {brokerOrderId} doesn't exist");
        }

        if (!order.IsWorking)
        {
            return new CancelOrderResult(false, brokerOrderId, null, $"Order {brokerOrderId} cannot be cancelled: it is {order.State}");
        }

        order.CancelRequested = true;
        order.State = BrokerOrderState.PendingCancel;
        Publish(order);
        return new CancelOrderResult(true, brokerOrderId, "Request was submitted", null);
    }

    internal PlaceOrderResult Modify(string userId, string accountId, string brokerOrderId, OrderTicket ticket)
    {
        var order = _orders.Find(o => o.BrokerOrderId == brokerOrderId && o.AccountId == accountId && o.UserId == userId);
        if (order is null)
        {
            return PlaceOrderResult.Rejected(new OrderRejection($"OrderID {brokerOrderId} doesn't exist", []), []);
        }

        if (!order.IsWorking || order.CancelRequested)
        {
            return PlaceOrderResult.Rejected(new OrderRejection($"Order {brokerOrderId} cannot be modified: it is {order.State}", []), []);
        }

        if (!string.Equals(ticket.ClientOrderId, order.ClientOrderId, StringComparison.Ordinal))
        {
            return PlaceOrderResult.Rejected(new OrderRejection("The cOID of a modification must be the order's own", []), []);
        }

        if (Variant < 5)
        {
            return PlaceOrderResult.Rejected(new OrderRejection("Order rejected: price band exceeded", []), []);
        }

        if (order.CashUnits is null && ticket.Quantity < order.Filled)
        {
            return PlaceOrderResult.Rejected(new OrderRejection("The new quantity is below the quantity already filled", []), []);
        }

        order.Ticket = ticket;
        Publish(order);
        return PlaceOrderResult.Accepted([new PlacedOrder(null, order.BrokerOrderId, order.State.ToString())], []);
    }

    /// <summary>The live orders as IBKR answers one call: <c>Snapshot</c> false for the empty first answer of a session.</summary>
    /// <summary>
    /// What the live orders would list now, without counting as a read (null before the session's first read): the
    /// answer a <see cref="CallMode.Stale"/> read gets when it is resolved later.
    /// </summary>
    internal IReadOnlyList<LiveOrder>? ListedNow(string userId)
    {
        if (!_sessions.TryGetValue(userId, out var session) || session.LiveOrderCalls == 0)
        {
            return null;
        }

        return [.. _orders.Where(o => o.UserId == userId && IbkrRules.IsListedInLiveOrders(!o.IsWorking, o.AcceptedAt, o.EndedAt, session.StartedAt, clock.Now,
            TimeSpan.FromMilliseconds(rules.MaxListingLag.TotalMilliseconds * (StableHash(o.BrokerOrderId) % 100) / 100.0))).Select(Live)];
    }

    internal (IReadOnlyList<LiveOrder> Orders, bool Snapshot) LiveOrders(string userId)
    {
        var session = _sessions[userId];
        session.LiveOrderCalls++;
        if (rules.FirstLiveOrdersCallEmpty && session.LiveOrderCalls == 1)
        {
            return ([], false);
        }

        var listed = new List<LiveOrder>();
        foreach (var order in _orders.Where(o => o.UserId == userId))
        {
            var lag = TimeSpan.FromMilliseconds(rules.MaxListingLag.TotalMilliseconds * (StableHash(order.BrokerOrderId) % 100) / 100.0);
            if (IbkrRules.IsListedInLiveOrders(!order.IsWorking, order.AcceptedAt, order.EndedAt, session.StartedAt, clock.Now, lag))
            {
                listed.Add(Live(order));
                if (Variant % 11 == 0)
                {
                    // IBKR sometimes lists an order twice.
                    listed.Add(Live(order));
                }
            }
        }

        return (listed, true);
    }

    internal IReadOnlyList<Trade> Trades(string userId, int days)
    {
        return [.. _executions.Where(e => e.UserId == userId && IbkrRules.IsCoveredByTrades(e.At, clock.Now, days)).Select(e => new Trade
        {
            ExecutionId = e.ExecutionId,
            OrderRef = e.ClientOrderId,
            OrderId = e.BrokerOrderId,
            Size = e.Quantity,
            Price = e.Price,
            TradeTimeMs = e.At.ToUnixTimeMilliseconds(),
        })];
    }

    internal WhatIfResult WhatIf(IReadOnlyList<OrderTicket> tickets)
    {
        var figure = new WhatIfFigure(null, null, null);
        // IBKR's formatted string, parsed as the guard parses it: "1,977.60 USD (10 Shares)".
        var amount = OrderValue(tickets) is { } value
            ? FormattedNumber.ParseOrNull(string.Create(CultureInfo.InvariantCulture, $"{value:N2} USD ({tickets[0].Quantity:0.####} Shares)"))
            : null;
        return new WhatIfResult(amount, null, null, figure, figure, figure, figure, null,
            Variant < 10 ? "insufficient equity" : null);
    }

    /// <summary>
    /// The what-if's order value of the leader (the first ticket), as IBKR gives it: a market or trailing-stop ticket at
    /// the market price of the moment (85..115, moved by the variant), a priced ticket at its own price (IBKR values a
    /// limit order at its limit); sometimes none at all. Each market price quoted is recorded for the reference invariants.
    /// </summary>
    private decimal? OrderValue(IReadOnlyList<OrderTicket> tickets)
    {
        if (tickets.Count == 0 || Variant % 7 == 3)
        {
            return null;
        }

        var leader = tickets[0];
        if (leader.OrderType is BrokerOrderType.Market or BrokerOrderType.Trail)
        {
            var market = 100m + (Variant % 31) - 15;
            if (!QuotedReferences.TryGetValue(leader.ClientOrderId, out var quotes))
            {
                QuotedReferences[leader.ClientOrderId] = quotes = [];
            }

            quotes.Add(market);
            return market * leader.Quantity;
        }

        return leader.Price is { } price ? price * leader.Quantity : null;
    }

    /// <summary>The market prices each what-if of a market-priced leader was valued at, by the leader's cOID.</summary>
    public Dictionary<string, List<decimal>> QuotedReferences { get; } = new(StringComparer.Ordinal);

    /// <summary>What each cOID's ticket asks beyond its type, quantity and prices (the world reads it from the orders' specs).</summary>
    public Func<string, ModelTerms?>? TermsOf { get; set; }

    /// <summary>
    /// The price an order with ticket terms executes at: 99.87 to 99.95 (a buy limit of 100 fills there), and for MIDPRICE
    /// the midpoint between that bid and an ask a cent above (a half-cent price).
    /// </summary>
    private static decimal ExecutionPriceOf(string brokerOrderId, ModelTerms terms)
    {
        var bid = 99.87m + (StableHash(brokerOrderId) % 9 * 0.01m);
        return terms.MidPrice ? (bid + bid + 0.01m) / 2 : bid;
    }

    /// <summary>Each ticket as IBKR first accepted it (a later modify changes the working order, not this).</summary>
    public Dictionary<string, OrderTicket> PlacedTickets { get; } = new(StringComparer.Ordinal);

    // ---- The market and the world around IBKR ----

    /// <summary>One step of the market: fills, exchange cancels, confirmations of cancels, each decided by <paramref name="variant"/>.</summary>
    public void Tick(int variant)
    {
        foreach (var order in _orders.Where(o => o.IsWorking).ToList())
        {
            if (!order.IsWorking)
            {
                // Ended earlier in this tick (an OCA sibling filled, a bracket parent ended): nothing happens to it any more.
                continue;
            }

            var roll = (int)(StableHash(variant.ToString(CultureInfo.InvariantCulture) + "/" + order.BrokerOrderId) % 100);
            if (order.Ticket.ParentClientOrderId is { } parent && _orders.Find(o => o.ClientOrderId == parent && o.UserId == order.UserId) is { State: not BrokerOrderState.Filled })
            {
                continue;
            }

            if (order.CancelRequested)
            {
                if (roll < 15)
                {
                    Fill(order, order.Quantity - order.Filled);
                }
                else if (roll < 85)
                {
                    End(order, BrokerOrderState.Cancelled);
                }

                continue;
            }

            // MIDPRICE waits for the midpoint like a limit order waits for its price.
            var marketable = (order.Ticket.OrderType == BrokerOrderType.Market && !order.Terms.MidPrice) || order.Ticket.TimeInForce == BrokerTimeInForce.Ioc;
            if (marketable ? roll < 70 : roll < 8)
            {
                Fill(order, order.Quantity - order.Filled);
            }
            else if (marketable ? roll < 85 : roll < 16)
            {
                // All-or-none: IBKR never fills part of it (it waits for the whole).
                if (!order.Terms.AllOrNone)
                {
                    Fill(order, Part(order));
                }
            }
            else if (order.Ticket.TimeInForce == BrokerTimeInForce.Ioc || roll == 99)
            {
                End(order, BrokerOrderState.Cancelled);
            }
            else if (roll == 98)
            {
                End(order, order.Filled > 0 ? BrokerOrderState.Cancelled : BrokerOrderState.Inactive);
            }
        }
    }

    /// <summary>The trading day ends: DAY orders expire, and every brokerage session is reset for the night.</summary>
    public void EndOfDay()
    {
        foreach (var order in _orders.Where(o => o.IsWorking && o.Ticket.TimeInForce is BrokerTimeInForce.Day or BrokerTimeInForce.Opg))
        {
            End(order, BrokerOrderState.Cancelled);
        }

        _sessions.Clear();
        foreach (var stream in _streams.Values.ToList())
        {
            EndStream(stream, StreamGapCause.SessionReinitialised);
        }
    }

    /// <summary>A user's session ends (dropped, or another platform took it): the next call starts a new one; its socket closes.</summary>
    public void DropSession(string userId)
    {
        _sessions.Remove(userId);
        if (_streams.TryGetValue(userId, out var stream))
        {
            EndStream(stream, StreamGapCause.SessionReinitialised);
        }
    }

    private void EnsureSession(string userId, string instanceId)
    {
        if (!_sessions.TryGetValue(userId, out var session) || session.Owner != instanceId)
        {
            // The guard initialises a session of its own; IBKR allows one per username, so it replaces any other (and the
            // other's socket learns it on sts: competing, then closes).
            _sessions[userId] = new ModelSession(instanceId, clock.Now);
            if (_streams.TryGetValue(userId, out var stream) && stream.InstanceId != instanceId)
            {
                EndStream(stream, StreamGapCause.Competing);
            }
        }
    }

    // ---- The websocket (/v1/api/ws): sor order deltas and str executions ----

    /// <summary>
    /// A socket opened by an incarnation under a lease epoch (its session initialised first, as the guard does). Not
    /// subscribed yet: the processor reads the live orders first (<see cref="Subscribe"/> follows that read).
    /// </summary>
    public ModelStream Connect(string userId, string instanceId, int incarnation, long leaseEpoch)
    {
        CallsByKind["ws"] = CallsByKind.GetValueOrDefault("ws") + 1;
        EnsureSession(userId, instanceId);
        if (_streams.TryGetValue(userId, out var previous))
        {
            EndStream(previous, StreamGapCause.Closed);
        }

        var stream = new ModelStream { UserId = userId, ConnectionId = _nextConnectionId++, InstanceId = instanceId, Incarnation = incarnation, LeaseEpoch = leaseEpoch };
        _streams[userId] = stream;
        return stream;
    }

    /// <summary>
    /// <c>sor+{}</c> and <c>str+{"realtimeUpdatesOnly":false,"days":1}</c>: from now on changes are streamed, and the
    /// day's executions are replayed at once. False when the socket closed meanwhile.
    /// </summary>
    public bool Subscribe(ModelStream stream)
    {
        if (!IsOpen(stream))
        {
            return false;
        }

        stream.Subscribed = true;
        foreach (var execution in _executions.Where(e => e.UserId == stream.UserId && IbkrRules.IsCoveredByTrades(e.At, clock.Now, 1)))
        {
            Enqueue(stream, new ExecutionFrame(_nextFrame++, TradeOf(execution)));
        }

        return true;
    }

    public bool IsOpen(ModelStream stream) => _streams.TryGetValue(stream.UserId, out var open) && open == stream;

    /// <summary>The socket goes silent (no frame, no heartbeat) while staying open: what IBKR produces meanwhile is lost.</summary>
    public void Stall(ModelStream stream)
    {
        stream.StalledSince ??= clock.Now;
        stream.Pending.Clear();
    }

    /// <summary>IBKR (or the network, or the guard) closes the socket: its queued frames are lost.</summary>
    public void EndStream(ModelStream stream, StreamGapCause cause)
    {
        if (!IsOpen(stream))
        {
            return;
        }

        _streams.Remove(stream.UserId);
        stream.Pending.Clear();
        StreamEnded?.Invoke(stream, cause);
    }

    /// <summary>The incarnation died: its sockets die with it, and nobody hears of it.</summary>
    public void ForgetStreamsOf(string instanceId)
    {
        foreach (var stream in _streams.Values.Where(s => s.InstanceId == instanceId).ToList())
        {
            _streams.Remove(stream.UserId);
        }
    }

    /// <summary>Queues a <c>sor</c> delta of <paramref name="order"/> on its user's subscribed socket, if any.</summary>
    private void Publish(ModelOrder order)
    {
        if (!_streams.TryGetValue(order.UserId, out var stream) || !stream.Subscribed || stream.StalledSince is not null)
        {
            return;
        }

        var now = Live(order);
        LiveOrder delta;
        if (!stream.LastSent.TryGetValue(order.BrokerOrderId, out var sent))
        {
            delta = new LiveOrder
            {
                Acct = now.Acct,
                Conid = "265598",
                OrderId = now.OrderId,
                OrderRef = now.OrderRef,
                Status = now.Status,
                FilledQuantity = now.FilledQuantity,
                RemainingQuantity = now.RemainingQuantity,
                TotalSize = now.TotalSize,
                AvgPrice = now.AvgPrice,
                OrderType = order.Ticket.OrderType.ToString(),
                Side = "BUY",
                Ticker = "AAPL",
            };
        }
        else
        {
            var filledChanged = sent.FilledQuantity != now.FilledQuantity;
            delta = new LiveOrder
            {
                Acct = now.Acct,
                Conid = "265598",
                OrderId = now.OrderId,
                Status = sent.Status != now.Status ? now.Status : null,
                FilledQuantity = filledChanged ? now.FilledQuantity : null,
                RemainingQuantity = filledChanged || sent.TotalSize != now.TotalSize ? now.RemainingQuantity : null,
                AvgPrice = filledChanged ? now.AvgPrice : null,
            };
        }

        stream.LastSent[order.BrokerOrderId] = now;
        Enqueue(stream, new OrderDeltaFrame(_nextFrame++, delta));
    }

    private void PublishExecution(Execution execution)
    {
        if (_streams.TryGetValue(execution.UserId, out var stream) && stream.Subscribed && stream.StalledSince is null)
        {
            Enqueue(stream, new ExecutionFrame(_nextFrame++, TradeOf(execution)));
        }
    }

    private void Enqueue(ModelStream stream, StreamFrame frame)
    {
        FramesProduced[frame.Topic] = FramesProduced.GetValueOrDefault(frame.Topic) + 1;
        stream.Pending.Add(frame);
    }

    private static Trade TradeOf(Execution execution) => new()
    {
        ExecutionId = execution.ExecutionId,
        OrderRef = execution.ClientOrderId,
        OrderId = execution.BrokerOrderId,
        Side = "B",
        Size = execution.Quantity,
        Price = execution.Price,
        Conid = "265598",
        Account = AccountOf(execution.UserId),
        TradeTimeMs = execution.At.ToUnixTimeMilliseconds(),
    };

    /// <summary>
    /// A partial fill: half of what is open (at least 1) of a whole order; a third of what is open, rounded down to 0.0001,
    /// of a fractional or cash-quantity one (1 fills as 0.3333, 0.2222, ...; what is left when a third rounds to nothing).
    /// </summary>
    private static decimal Part(ModelOrder order)
    {
        var open = order.Quantity - order.Filled;
        var part = order.Terms.Any || decimal.Truncate(open) != open
            ? FillFigures.RoundDown(open / 3)
            : Math.Max(1, Math.Floor(open / 2));
        return part > 0 && part <= open ? part : open;
    }

    private void Fill(ModelOrder order, decimal quantity)
    {
        if (quantity <= 0)
        {
            return;
        }

        var price = order.ExecutionPrice ?? 100m + (order.Filled % 7);
        var execution = new Execution($"e{_executions.Count + 1}", order.BrokerOrderId, order.ClientOrderId, order.UserId, quantity, price, clock.Now);
        _executions.Add(execution);
        PublishExecution(execution);
        order.AveragePrice = ((order.AveragePrice ?? 0) * order.Filled + price * quantity) / (order.Filled + quantity);
        order.Filled += quantity;
        if (order.Filled < order.Quantity)
        {
            Publish(order);
        }
        else
        {
            End(order, BrokerOrderState.Filled);

            // One member of an OCA group filled: IBKR cancels the others.
            foreach (var sibling in _orders.Where(o => o.IsWorking && o != order && o.OcaKey is not null && o.OcaKey == order.OcaKey).ToList())
            {
                End(sibling, BrokerOrderState.Cancelled);
            }
        }
    }

    private void End(ModelOrder order, BrokerOrderState state)
    {
        order.State = state;
        order.EndedAt = clock.Now;
        Publish(order);
        if (state != BrokerOrderState.Filled)
        {
            // A bracket parent that will never fill takes its children with it.
            foreach (var child in _orders.Where(o => o.IsWorking && o.UserId == order.UserId && o.Ticket.ParentClientOrderId == order.ClientOrderId).ToList())
            {
                End(child, BrokerOrderState.Cancelled);
            }
        }
    }

    private static PlaceOrderResult AlreadyRegistered(OrderTicket ticket) =>
        PlaceOrderResult.AlreadyRegistered($"Order couldn't be submitted: Local order ID={ticket.ClientOrderId} is already registered.");

    private static LiveOrder Live(ModelOrder order) => new()
    {
        Acct = order.AccountId,
        OrderId = order.BrokerOrderId,
        OrderRef = order.ClientOrderId,
        Status = order.State.ToString(),
        FilledQuantity = order.Filled,
        // A cash-quantity order that does not tell its total while it works: neither what is open nor the total.
        RemainingQuantity = order.TellsTotal || !order.IsWorking ? order.Quantity - order.Filled : null,
        TotalSize = order.TellsTotal || !order.IsWorking ? order.Quantity : null,
        AvgPrice = order.AveragePrice,
    };
}
