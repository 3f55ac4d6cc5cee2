using System.Globalization;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Ibkr;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.LifecycleSimulation.Store;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.World;

/// <summary>
/// A simulated world: two processor instances, their database, the bus and IBKR, on one virtual clock, run one
/// schedule step at a time on one thread. Every step is logged, so a failing schedule can be read and replayed.
/// </summary>
public sealed class SimWorld
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 14, 30, 0, TimeSpan.Zero);
    private readonly IReadOnlyList<OrderSpec> _orders;
    private readonly LifecycleOptions _options;
    private readonly List<BusMessage> _bus = [];
    private readonly List<BusMessage> _sent = [];
    private readonly int[] _incarnations = [0, 0];
    private readonly HashSet<int> _placed = [];
    private readonly List<Guid> _checks = [];
    private readonly Dictionary<string, string> _leaseOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, decimal> _lastFill = [];
    private readonly bool _stream;
    private static readonly CallMode[] FaultModes =
        [CallMode.Hang, CallMode.ActThenLose, CallMode.ServerErrorBeforeActing, CallMode.NotSent, CallMode.Paced, CallMode.SessionLost, CallMode.Stale];

    private long _tokens;
    private string? _faultyUser;
    private long _sharedBefore;
    private bool _settling;
    private int _rulesSeen;
    private int _eventsSeen;
    private int _fillsSeen;

    // stream: with IBKR's websocket (the model streams, the processors take it in and read by the reconcile schedule).
    public SimWorld(IReadOnlyList<OrderSpec> orders, LifecycleOptions options, IbkrRulesOfTheModel rules, bool stream = true)
    {
        _orders = orders;
        _options = options;
        _stream = stream;
        Clock = new SimClock(Start);
        Db = new SimDatabase();
        Model = new IbkrModel(Clock, rules);
        Model.LeaseHeld = (user, instance) => Db.HeldBy(user, _leaseOwners[instance], Clock.Now);
        var terms = orders.DistinctBy(o => o.OrderId).ToDictionary(o => ClientOrderId.For(o.OrderId), o => o.Terms(), StringComparer.Ordinal);
        Model.TermsOf = clientOrderId => terms.GetValueOrDefault(clientOrderId);
        Model.StreamEnded = (socket, cause) =>
        {
            if (Owner(socket) is { } owner)
            {
                owner.Streams.Ended(socket, cause);
            }
        };
        Processes = [NewProcess(0), NewProcess(1)];
    }

    public bool Stream => _stream;

    /// <summary>Fill events that counted a fill twice, more than IBKR filled at that step, or a fill IBKR had not made: each a violation.</summary>
    public List<string> FillViolations { get; } = [];

    /// <summary>Stream steps run, by kind, and what they did.</summary>
    public Dictionary<string, int> StreamSteps { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads of live orders by cause and the intake's counts, summed over the incarnations that are gone.</summary>
    public Dictionary<string, long> GoneCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Poller ticks that left a user unread that had to be read, and stream writes past the fence, of every incarnation.</summary>
    public List<string> GoneViolations { get; } = [];

    public SimClock Clock { get; }

    /// <summary>Where the processor's continuations run; the caller makes it the thread's context.</summary>
    public SimSynchronizationContext Continuations { get; } = new();

    public SimDatabase Db { get; }

    public IbkrModel Model { get; }

    public SimProcess[] Processes { get; }

    public IReadOnlyList<OrderSpec> Orders => _orders;

    /// <summary>The pre-trade risk verdict of a PlaceOrder of this schedule (its spec's reference controls).</summary>
    private RiskVerdict? RiskOf(PlaceOrder place) => _orders.FirstOrDefault(o => o.OrderId == place.OrderId)?.Risk();

    /// <summary>Messages sent (a PlaceOrder's message ids tell the simulation which were meant to be placed).</summary>
    public IReadOnlyList<BusMessage> Sent => _sent;

    public List<string> Trace { get; } = [];

    /// <summary>Failures of the processor's own code (a fault in a work or a poll): each one is an invariant violation.</summary>
    public List<string> Faults { get; } = [];

    /// <summary>Unfair claims of every incarnation (each one an invariant violation).</summary>
    public List<string> UnfairClaims { get; } = [];

    public int Steps { get; private set; }

    /// <summary>The user whose every IBKR call fails from a step on (<see cref="UserFaults"/>), if any.</summary>
    public string? FaultyUser => _faultyUser;

    /// <summary>Live-orders reads callers asked for that another caller's read answered (summed over incarnations).</summary>
    public long LiveOrdersReadsShared => _sharedBefore + Processes.Sum(p => p.LiveOrders.Shared);

    public void Run(SimAction action)
    {
        // A schedule is 160 steps and its settling a few thousand: far more means the processor (or the simulation)
        // loops, which is reported rather than left to eat the machine's memory.
        if (Steps > 100_000)
        {
            throw new InvalidOperationException($"runaway schedule: {Steps} steps; the last ones:\n{string.Join('\n', Trace.TakeLast(40))}");
        }

        Db.Step = ++Steps;
        Model.Step = Steps;
        var line = Describe(action);
        switch (action)
        {
            case SendPlace place:
                var spec = _orders[place.Order % _orders.Count];
                _placed.Add(place.Order % _orders.Count);
                Send(spec.Command());
                break;
            case SendCancel cancel:
                var target = _orders[cancel.Order % _orders.Count];
                var id = (cancel.Leg % 3) switch { 1 => target.LegA, 2 => target.LegB, _ => target.OrderId };
                Send(new CancelOrder { OrderId = id, UserId = target.UserId, Reason = "simulated cancel" });
                break;
            case SendMarginCheck check:
                var of = _orders[check.Order % _orders.Count];
                var checkId = NewGuid();
                _checks.Add(checkId);
                Send(new MarginCheck
                {
                    CheckId = checkId,
                    UserId = of.UserId,
                    AccountId = IbkrModel.AccountOf(of.UserId),
                    Conid = 265598,
                    Side = OrderSide.Sell,
                    Quantity = 5,
                    OrderType = OrderType.Market,
                    TimeInForce = TimeInForce.Day,
                });
                break;
            case SendModify modify:
                var changed = _orders[modify.Order % _orders.Count];
                Send(new ModifyOrder { OrderId = changed.OrderId, UserId = changed.UserId, LimitPrice = modify.LimitPrice });
                break;
            case Redeliver redeliver when _sent.Count > 0:
                _bus.Add(_sent[redeliver.Message % _sent.Count]);
                break;
            case Consume consume when Processes[consume.Process % 2].Stopping is not null:
            case Claim claim0 when Processes[claim0.Process % 2].Stopping is not null:
            case Poll poll0 when Processes[poll0.Process % 2].Stopping is not null:
                line += " (stopping: takes nothing new)";
                break;
            case Consume consume when _bus.Count > 0:
                var message = _bus[consume.Message % _bus.Count];
                _bus.Remove(message);
                Processes[consume.Process % 2].Consumers.Consume(message);
                line += $" {message.Command.GetType().Name} {OrderIdOf(message.Command)}";
                break;
            case Claim claim:
                Processes[claim.Process % 2].Claim(claim.Limit, Db, UnfairClaims);
                break;
            case Poll poll:
                Processes[poll.Process % 2].Poll();
                break;
            case Renew renew:
                Processes[renew.Process % 2].Renew();
                break;
            case Resolve resolve when Model.Pending.Count > 0:
                var call = Model.Pending[resolve.Call % Model.Pending.Count];
                var mode = call.UserId == _faultyUser && !_settling ? FaultModes[resolve.Variant % FaultModes.Length] : resolve.Mode;
                line += $" {call}{(mode != resolve.Mode ? $" (faulty user: {mode})" : string.Empty)}";
                Model.Resolve(call, mode, resolve.Variant, IsAlive(call.InstanceId, call.Incarnation));
                break;
            case UserFaults faults:
                _faultyUser = OrderSpec.Users[faults.User % OrderSpec.Users.Length];
                break;
            case Tick tick:
                Model.Tick(tick.Variant);
                break;
            case Advance advance:
                WatchStreams();
                Clock.Advance(advance.By);
                TickPollers();
                break;
            case StreamConnect connect:
                var connecting = OrderSpec.Users[connect.User % OrderSpec.Users.Length];
                line += Processes[connect.Process % 2].Connect(connecting) ? Count("connect") : " (nothing to do)";
                break;
            case StreamDeliver deliver when SocketWithFrames(deliver.User) is { } socket:
                line += $" {Take(socket, deliver.Frame, remove: true, deliver: true)}" + Count("deliver");
                break;
            case StreamDuplicate duplicate when SocketWithFrames(duplicate.User) is { } socket:
                line += $" {Take(socket, duplicate.Frame, remove: false, deliver: true)}" + Count("duplicate");
                break;
            case StreamLose lose when SocketWithFrames(lose.User) is { } socket:
                line += $" {Take(socket, lose.Frame, remove: true, deliver: false)}" + Count("lose");
                break;
            case StreamDrop drop when SocketOf(drop.User) is { } socket:
                Model.EndStream(socket, Brokerage.Streaming.StreamGapCause.Dropped);
                line += $" {socket}" + Count("drop");
                break;
            case StreamStall stall when SocketOf(stall.User) is { StalledSince: null } socket:
                Model.Stall(socket);
                line += $" {socket}" + Count("stall");
                break;
            case StreamGarbage garbage when SocketOf(garbage.User) is { StalledSince: null } socket:
                if (socket.Pending.Count > 0)
                {
                    line += $" in place of {socket.Pending[0]}";
                    socket.Pending.RemoveAt(0);
                }

                Owner(socket)?.Streams.Garbage(socket);
                line += Count("garbage");
                break;
            case StopCleanly stop:
                Processes[stop.Process % 2].BeginStop();
                break;
            case Crash crash:
                var slot = crash.Process % 2;

                Processes[slot] = NewProcess(slot);
                line += $" → {Processes[slot].InstanceId}";
                break;
            case DropSession drop:
                Model.DropSession(OrderSpec.Users[drop.User % OrderSpec.Users.Length]);
                break;
            case MaintenanceStart maintenance:
                Model.StartMaintenance(OrderSpec.Users[maintenance.User % OrderSpec.Users.Length], Clock.Now + maintenance.Length, maintenance.Scheduled);
                break;
            case MaintenanceEnd end:
                Model.EndMaintenance(OrderSpec.Users[end.User % OrderSpec.Users.Length]);
                break;
            case Halt halt:
                line += $" → {Control(HaltCommand(halt), halt.Process, halt.Twice)}";
                break;
            case Resume resume:
                line += $" → {Control(ResumeCommand(resume), resume.Process, twice: false)}";
                break;
            case SweepHalts sweep when Processes[sweep.Process % 2].Stopping is null:
                line += $" → {Processes[sweep.Process % 2].HaltSweeper.Sweep()} asked to cancel";
                break;
            case EndOfDay:
                Model.EndOfDay();
                WatchStreams();
                Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromTicks(Clock.Now.UtcTicks % TimeSpan.TicksPerDay) + TimeSpan.FromMinutes(30));
                TickPollers();
                break;
            default:
                line += " (nothing to do)";
                break;
        }

        foreach (var process in Processes)
        {
            process.ExpireDeadlines();
        }

        Continuations.Drain();
        CollectFaults();
        CheckFills();
        for (var slot = 0; slot < Processes.Length; slot++)
        {
            if (Processes[slot].AdvanceStop())
            {

                Processes[slot] = NewProcess(slot);
                line += $" (clean stop done → {Processes[slot].InstanceId})";
            }
        }

        Trace.Add(line + Effects());
    }

    /// <summary>
    /// After the schedule: no more faults. Every message is delivered, every call answered, the market moves for a
    /// while and then rests, and both processors keep working until what they know matches what IBKR has.
    /// </summary>
    public void Settle(int rounds = 100)
    {
        _settling = true;

        // Outages end now; scheduled windows run to their end (the processor expects them back only then).
        Model.EndUnscheduledMaintenance();
        if (Model.LastMaintenanceEnd is { } end && end > Clock.Now)
        {
            Run(new Advance(end - Clock.Now));
        }

        // A halt with cancel working still active: the market rests first while everything is delivered and answered and the
        // sweepers run, then what still works at IBKR of its scope is recorded (invariant 7): a later fill or exchange cancel
        // must not hide a cancel the processor never sent.
        if (Db.Halts.Rows.Any(h => h.CancelWorking && h.ResumedAt is null))
        {
            for (var round = 0; round < HaltSettleRounds; round++)
            {
                SettleRound(round);
                Run(new Advance(TimeSpan.FromSeconds(5)));
            }

            HaltSettleViolations.AddRange(OrderProcessor.LifecycleSimulation.Checks.HaltInvariants.WorkingAfterCancelWorkingHalts(this, askedCounts: true));
        }

        for (var round = 0; round < rounds; round++)
        {
            SettleRound(round);
            if (round < rounds / 2)
            {
                Run(new Tick(round));
            }

            Run(new Advance(TimeSpan.FromSeconds(5)));
        }
    }

    /// <summary>Rounds of the settle phase without market moves after a cancel-working halt (invariant 7 is checked after them).</summary>
    public const int HaltSettleRounds = 20;

    /// <summary>What still worked at IBKR of a cancel-working halt's scope after <see cref="HaltSettleRounds"/> (each a violation).</summary>
    public List<string> HaltSettleViolations { get; } = [];

    /// <summary>One round of settling: every message delivered, renew, sweep, claim and poll on both, sockets reopened and drained, every call answered.</summary>
    private void SettleRound(int round)
    {
        // Delivered to a process that takes commands (one being stopped cleanly does not; its successor will).
        for (var taker = Array.FindIndex(Processes, p => p.Stopping is null); _bus.Count > 0 && taker >= 0;
             taker = Array.FindIndex(Processes, p => p.Stopping is null))
        {
            Run(new Consume(round, taker));
        }

        foreach (var process in Enumerable.Range(0, 2))
        {
            Run(new Renew(process));
            if (Db.Halts.Rows.Count > 0)
            {
                Run(new SweepHalts(process));
            }

            Run(new Claim(process, 64));
            Run(new Poll(process));
        }

        if (_stream)
        {
            // The sockets come back and deliver everything, in order.
            foreach (var process in Enumerable.Range(0, 2))
            {
                foreach (var user in Enumerable.Range(0, OrderSpec.Users.Length).Where(u => Processes[process].Streams.MayConnect(OrderSpec.Users[u])))
                {
                    Run(new StreamConnect(user, process));
                }
            }

            for (var guard = 0; Model.Streams.Values.Any(s => s.Pending.Count > 0) && guard < 10_000; guard++)
            {
                Run(new StreamDeliver(Array.FindIndex(OrderSpec.Users, u => Model.Streams.TryGetValue(u, out var s) && s.Pending.Count > 0), 0));
            }
        }

        for (var guard = 0; Model.Pending.Count > 0 && guard < 1000; guard++)
        {
            Run(new Resolve(0, CallMode.Answer, 50));
        }
    }

    public bool WasPlaced(int order) => _placed.Contains(order);

    /// <summary>Sends a halt or resume and has <paramref name="process"/> consume it at once (once more later, same message id, if <paramref name="twice"/>).</summary>
    private string Control(object command, int process, bool twice)
    {
        var message = new BusMessage(NewGuid(), command);
        _sent.Add(message);
        if (twice)
        {
            _bus.Add(message);
        }

        if (Processes[process % 2].Stopping is not null)
        {
            // A process being stopped takes nothing new: the message waits on the bus for another.
            _bus.Add(message);
            return "on the bus";
        }

        Processes[process % 2].Consumers.Consume(message);
        return Short(message.MessageId);
    }

    private HaltTrading HaltCommand(Halt halt)
    {
        var user = OrderSpec.Users[halt.Key % OrderSpec.Users.Length];
        return new HaltTrading
        {
            HaltId = NewGuid(),
            Scope = halt.Scope,
            AccountId = halt.Scope == HaltScope.Account ? IbkrModel.AccountOf(user) : null,
            UserId = halt.Scope == HaltScope.User ? user : null,
            Reason = "simulated halt",
            CancelWorking = halt.CancelWorking,
            RequestedBy = "simulation",
        };
    }

    private ResumeTrading ResumeCommand(Resume resume)
    {
        var user = OrderSpec.Users[resume.Key % OrderSpec.Users.Length];
        return new ResumeTrading
        {
            ResumeId = NewGuid(),
            Scope = resume.Scope,
            AccountId = resume.Scope == HaltScope.Account ? IbkrModel.AccountOf(user) : null,
            UserId = resume.Scope == HaltScope.User ? user : null,
            Reason = "simulated resume",
            RequestedBy = "simulation",
        };
    }

    /// <summary>The check ids of the MarginChecks sent.</summary>
    public IReadOnlyList<Guid> Checks => _checks;

    private void Send(object command)
    {
        var message = new BusMessage(NewGuid(), command);
        _bus.Add(message);
        _sent.Add(message);
    }

    private bool IsAlive(string instanceId, int incarnation)
    {
        var slot = Array.FindIndex(Processes, p => p.InstanceId == instanceId);
        return slot >= 0 && Processes[slot].Incarnation == incarnation;
    }

    private SimProcess NewProcess(int slot)
    {
        if (Processes?[slot] is { } gone)
        {
            // Its sockets die with it (nobody hears of it); what it counted is kept for the report and the checks.
            _sharedBefore += gone.LiveOrders.Shared;
            Model.ForgetStreamsOf(gone.InstanceId);
            Keep(gone);
        }

        var incarnation = ++_incarnations[slot];
        var process = new SimProcess($"{(char)('A' + slot)}{incarnation}", incarnation, Db, Model, Clock, _options, NewGuid, _stream, RiskOf);
        _leaseOwners[process.InstanceId] = process.Ownership.LeaseOwner;
        return process;
    }

    private Guid NewGuid() => new(0, 0, 0, BitConverter.GetBytes(++_tokens));

    /// <summary>What an incarnation that is gone counted and found, kept for the report and the checks.</summary>
    private void Keep(SimProcess gone)
    {
        foreach (var (cause, count) in gone.ReadsByCause)
        {
            GoneCounts["reads " + cause] = GoneCounts.GetValueOrDefault("reads " + cause) + count;
        }

        if (gone.Intake is { } intake)
        {
            foreach (var (what, count) in IntakeCounts(intake))
            {
                GoneCounts[what] = GoneCounts.GetValueOrDefault(what) + count;
            }
        }

        GoneCounts["stream writes refused by the fence"] = GoneCounts.GetValueOrDefault("stream writes refused by the fence") + (gone.Fence?.Refused ?? 0);
        GoneViolations.AddRange(gone.Unread);
        GoneViolations.AddRange(gone.Fence?.Unfenced ?? []);
    }

    public static IEnumerable<(string What, long Count)> IntakeCounts(Execution.Streaming.OrderStreamIntake intake) =>
    [
        ("stream reports applied", intake.Applied),
        ("stream reports without news", intake.Unchanged),
        ("stream reports retained during the send", intake.Retained),
        ("stream reports refused (stale epoch)", intake.Refused),
        ("executions replayed", intake.Replayed),
        ("stream reports of unknown orders", intake.Unmapped),
    ];

    /// <summary>The guard's watchdog of every incarnation (stalls, fencing, idle sockets), as time is about to pass.</summary>
    private void WatchStreams()
    {
        foreach (var process in Processes)
        {
            process.WatchStreams();
        }
    }

    /// <summary>With the stream, time passing means the pollers ticked: each reads the users its schedule says are due.</summary>
    private void TickPollers()
    {
        if (!_stream)
        {
            return;
        }

        foreach (var process in Processes.Where(p => p.Stopping is null))
        {
            process.WatchStreams();
            process.Poll();
        }
    }

    private ModelStream? SocketOf(int user) => Model.Streams.GetValueOrDefault(OrderSpec.Users[user % OrderSpec.Users.Length]);

    /// <summary>The user's socket if it has frames queued, else another user's that has (a frame step is rarely wasted).</summary>
    private ModelStream? SocketWithFrames(int user)
    {
        if (SocketOf(user) is { Pending.Count: > 0 } socket)
        {
            return socket;
        }

        var others = Model.Streams.Values.Where(s => s.Pending.Count > 0).OrderBy(s => s.UserId, StringComparer.Ordinal).ToList();
        return others.Count == 0 ? null : others[user % others.Count];
    }

    /// <summary>The live incarnation that opened the socket, if it is still there.</summary>
    private SimProcess? Owner(ModelStream socket) =>
        Array.Find(Processes, p => p.InstanceId == socket.InstanceId && p.Incarnation == socket.Incarnation);

    private string Take(ModelStream socket, int index, bool remove, bool deliver)
    {
        var frame = socket.Pending[index % socket.Pending.Count];
        if (remove)
        {
            socket.Pending.Remove(frame);
        }

        if (deliver)
        {
            Owner(socket)?.Streams.Deliver(socket, frame);
        }

        return $"{frame} on {socket}";
    }

    private string Count(string what)
    {
        StreamSteps[what] = StreamSteps.GetValueOrDefault(what) + 1;
        return string.Empty;
    }

    /// <summary>
    /// Each fill event as it is committed: its cumulative quantity is at most what IBKR filled of the order by then and
    /// more than the order's previous fill event reported (a replayed or duplicated execution would repeat or exceed it),
    /// and OrderFilled only when IBKR says Filled.
    /// </summary>
    private void CheckFills()
    {
        foreach (var committed in Db.Events.Skip(_fillsSeen))
        {
            if (committed.Event is not (OrderPartiallyFilled or OrderFilled))
            {
                continue;
            }

            var quantity = committed.Event is OrderFilled filled ? filled.FilledQuantity : ((OrderPartiallyFilled)committed.Event).FilledQuantity;
            var clientOrderId = Db.Orders.First(o => o.OrderId == committed.OrderId).ClientOrderId;
            var atIbkr = Model.Ledger.Where(o => o.ClientOrderId == clientOrderId).ToList();
            var name = $"step {Steps}: {Short(committed.OrderId)} {committed.Event.GetType().Name}({quantity})";
            if (quantity > atIbkr.Select(o => o.Filled).DefaultIfEmpty(0).Max())
            {
                FillViolations.Add($"{name} but IBKR had filled {atIbkr.Select(o => o.Filled).DefaultIfEmpty(0).Max()}");
            }

            if (committed.Event is OrderFilled && !atIbkr.Any(o => o.State == OrderProcessor.Orders.BrokerOrderState.Filled))
            {
                FillViolations.Add($"{name} while IBKR says {string.Join(",", atIbkr.Select(o => o.State))}");
            }

            // Any fill event at or below the last one repeats a fill (an OrderPartiallyFilled of everything followed by an
            // OrderFilled of the same quantity reports one fill twice: executions covering the order wait for its status).
            if (_lastFill.TryGetValue(committed.OrderId, out var last) && quantity <= last)
            {
                FillViolations.Add($"{name} after a fill event of {last}: counted twice");
            }

            _lastFill[committed.OrderId] = quantity;
        }

        _fillsSeen = Db.Events.Count;
    }

    private void CollectFaults()
    {
        foreach (var process in Processes)
        {
            foreach (var (what, task) in process.Streams.Running.Where(r => r.Task.IsCompleted).ToList())
            {
                if (task.IsFaulted)
                {
                    Faults.Add($"step {Steps}: {what} on {process.InstanceId} threw {task.Exception!.InnerException}");
                }

                process.Streams.Running.Remove((what, task));
            }

            foreach (var (what, task) in process.Running.Where(r => r.Task.IsCompleted).ToList())
            {
                // The status poller logs a failed read and polls again next time, as it should.
                var expected = what.StartsWith("poll", StringComparison.Ordinal) && task.Exception?.InnerException is Brokerage.Failures.BrokerageException;
                if (task.IsFaulted && !expected)
                {
                    Faults.Add($"step {Steps}: {what} on {process.InstanceId} threw {task.Exception!.InnerException}");
                }

                process.Running.Remove((what, task));
            }
        }
    }

    private string Effects()
    {
        var rules = Db.RulesApplied.Skip(_rulesSeen).Select(r => r.Rule).ToList();
        var events = Db.Events.Skip(_eventsSeen).Select(e => $"{e.Event.GetType().Name}({Short(e.OrderId)}#{e.Sequence})").ToList();
        (_rulesSeen, _eventsSeen) = (Db.RulesApplied.Count, Db.Events.Count);
        return (rules.Count == 0 ? string.Empty : " | " + string.Join("; ", rules)) + (events.Count == 0 ? string.Empty : " | " + string.Join(", ", events));
    }

    private string Describe(SimAction action) =>
        string.Create(CultureInfo.InvariantCulture, $"{Steps,4} {Clock.Now:HH:mm:ss.f} {action}");

    private static string OrderIdOf(object command) => command switch
    {
        PlaceOrder p => Short(p.OrderId),
        CancelOrder c => Short(c.OrderId),
        ModifyOrder m => Short(m.OrderId),
        MarginCheck c => Short(c.CheckId),
        HaltTrading h => Short(h.HaltId),
        ResumeTrading r => Short(r.ResumeId),
        _ => "?",
    };

    public static string Short(Guid id) => id.ToString("N")[..8];
}
