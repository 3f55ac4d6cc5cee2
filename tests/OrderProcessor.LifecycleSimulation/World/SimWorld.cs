using System.Globalization;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Ibkr;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.LifecycleSimulation.Store;

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
    private static readonly CallMode[] FaultModes =
        [CallMode.Hang, CallMode.ActThenLose, CallMode.ServerErrorBeforeActing, CallMode.NotSent, CallMode.Paced, CallMode.SessionLost, CallMode.Stale];

    private long _tokens;
    private string? _faultyUser;
    private long _sharedBefore;
    private bool _settling;
    private int _rulesSeen;
    private int _eventsSeen;

    public SimWorld(IReadOnlyList<OrderSpec> orders, LifecycleOptions options, IbkrRulesOfTheModel rules)
    {
        _orders = orders;
        _options = options;
        Clock = new SimClock(Start);
        Db = new SimDatabase();
        Model = new IbkrModel(Clock, rules);
        Model.LeaseHeld = (user, instance) => Db.HeldBy(user, _leaseOwners[instance], Clock.Now);
        Processes = [NewProcess(0), NewProcess(1)];
    }

    public SimClock Clock { get; }

    /// <summary>Where the processor's continuations run; the caller makes it the thread's context.</summary>
    public SimSynchronizationContext Continuations { get; } = new();

    public SimDatabase Db { get; }

    public IbkrModel Model { get; }

    public SimProcess[] Processes { get; }

    public IReadOnlyList<OrderSpec> Orders => _orders;

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
                Clock.Advance(advance.By);
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
            case EndOfDay:
                Model.EndOfDay();
                Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromTicks(Clock.Now.UtcTicks % TimeSpan.TicksPerDay) + TimeSpan.FromMinutes(30));
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
        for (var round = 0; round < rounds; round++)
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
                Run(new Claim(process, 64));
                Run(new Poll(process));
            }

            for (var guard = 0; Model.Pending.Count > 0 && guard < 1000; guard++)
            {
                Run(new Resolve(0, CallMode.Answer, 50));
            }

            if (round < rounds / 2)
            {
                Run(new Tick(round));
            }

            Run(new Advance(TimeSpan.FromSeconds(5)));
        }
    }

    public bool WasPlaced(int order) => _placed.Contains(order);

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
        _sharedBefore += Processes?[slot]?.LiveOrders.Shared ?? 0;
        var incarnation = ++_incarnations[slot];
        var process = new SimProcess($"{(char)('A' + slot)}{incarnation}", incarnation, Db, Model, Clock, _options, NewGuid);
        _leaseOwners[process.InstanceId] = process.Ownership.LeaseOwner;
        return process;
    }

    private Guid NewGuid() => new(0, 0, 0, BitConverter.GetBytes(++_tokens));

    private void CollectFaults()
    {
        foreach (var process in Processes)
        {
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
        _ => "?",
    };

    public static string Short(Guid id) => id.ToString("N")[..8];
}
