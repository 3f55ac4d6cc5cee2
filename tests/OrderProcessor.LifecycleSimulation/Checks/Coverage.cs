using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>What a batch of schedules exercised: the transition table's cells, the orders' final states, IBKR's calls.</summary>
public sealed class Coverage
{
    private readonly Dictionary<string, int> _cells = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _finalStates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private int _ordersAtIbkr;
    private int _resentWhileRegistered;
    private int _faultyUserSchedules;
    private long _sharedReads;
    private readonly Dictionary<string, long> _stream = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _holds = new(StringComparer.Ordinal);

    private readonly Dictionary<string, int> _halts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reference = new(StringComparer.Ordinal);

    private void AddHold(string what, int count) => _holds[what] = _holds.GetValueOrDefault(what) + count;

    private void AddHalt(string what, int count) => _halts[what] = _halts.GetValueOrDefault(what) + count;

    /// <summary>Fractional and cash-quantity orders, all-or-none and MIDPRICE.</summary>
    public FillCoverage Fills { get; } = new();

    public void Add(SimWorld world)
    {
        foreach (var (_, rule) in world.Db.RulesApplied)
        {
            _cells[rule] = _cells.GetValueOrDefault(rule) + 1;
        }

        foreach (var order in world.Db.Orders)
        {
            _finalStates[order.Status.ToString()] = _finalStates.GetValueOrDefault(order.Status.ToString()) + 1;
        }

        foreach (var (kind, count) in world.Model.CallsByKind)
        {
            _calls[kind] = _calls.GetValueOrDefault(kind) + count;
        }

        foreach (var (kind, count) in world.Model.Windows)
        {
            AddHold("windows " + kind, count);
        }

        AddHold("holds (OrderHeld)", world.Db.Events.Count(e => e.Event is Contracts.OrderHeld));
        AddHold("releases (claims of held orders)", world.Db.RulesApplied.Count(r => r.Rule.StartsWith("Held × Claim", StringComparison.Ordinal) && !r.Rule.EndsWith("drop-stale-work", StringComparison.Ordinal)));
        AddHold("hold expiries (HoldExpired)", world.Db.Events.Count(e => e.Event is Contracts.OrderRejected { ReasonCode: Contracts.RejectionReasonCode.HoldExpired }));
        AddHold("held orders cancelled", world.Db.RulesApplied.Count(r => r.Rule.StartsWith("Held × CancelOrder", StringComparison.Ordinal)));
        AddHold("held orders modified", world.Db.RulesApplied.Count(r => r.Rule.StartsWith("Held × ModifyOrder", StringComparison.Ordinal)));
        AddHold("work again after a window", world.Db.RulesApplied.Count(r => r.Rule.Contains("after-window", StringComparison.Ordinal)));
        var halts = world.Db.Halts;
        AddHalt("schedules with halts", halts.Commands.Count > 0 ? 1 : 0);
        AddHalt("halts", halts.Rows.Count);
        AddHalt("halts with cancel working", halts.Rows.Count(h => h.CancelWorking));
        AddHalt("halt commands", halts.Commands.Count(c => c.Command == nameof(Contracts.HaltTrading)));
        AddHalt("resumes", world.Db.Events.Count(e => e.Event is Contracts.TradingResumed));
        AddHalt("resumes refused (not halted)", world.Db.Events.Count(e => e.Event is Contracts.OrderRejected { Command: nameof(Contracts.ResumeTrading), ReasonCode: Contracts.RejectionReasonCode.NotFound }));
        AddHalt("halt or resume deliveries again (inbox)", halts.Redelivered);
        AddHalt("sweeps done", halts.Swept);
        AddHalt("cancels asked by sweeps", halts.SweepCancels.Count);
        AddHalt("orders refused by a halt (PlaceOrder)", world.Db.Events.Count(e => e.Event is Contracts.OrderRejected { Command: nameof(Contracts.PlaceOrder), ReasonCode: Contracts.RejectionReasonCode.TradingHalted }));
        AddHalt("sends or checks refused by a halt (claims)", halts.Claims.Count(c => c.Halt is not null));
        AddHalt("modifies refused by a halt", world.Db.Events.Count(e => e.Event is Contracts.OrderRejected { Command: nameof(Contracts.ModifyOrder), ReasonCode: Contracts.RejectionReasonCode.TradingHalted }));
        AddReference(world);
        Fills.Add(world);
        _ordersAtIbkr += world.Model.Ledger.Count;
        _resentWhileRegistered += world.Model.ResentWhileRegistered.Count;
        _faultyUserSchedules += world.FaultyUser is null ? 0 : 1;
        _sharedReads += world.LiveOrdersReadsShared;
        if (!world.Stream)
        {
            return;
        }

        foreach (var (what, count) in world.StreamSteps)
        {
            AddStream("step " + what, count);
        }

        foreach (var (topic, count) in world.Model.FramesProduced)
        {
            AddStream("frames " + topic, count);
        }

        foreach (var (what, count) in world.GoneCounts)
        {
            AddStream(what, count);
        }

        foreach (var process in world.Processes)
        {
            foreach (var (cause, count) in process.ReadsByCause)
            {
                AddStream("reads " + cause, count);
            }

            if (process.Intake is { } intake)
            {
                foreach (var (what, count) in SimWorld.IntakeCounts(intake))
                {
                    AddStream(what, count);
                }
            }

            AddStream("stream writes refused by the fence", process.Fence?.Refused ?? 0);
        }
    }

    private void AddReference(SimWorld world)
    {
        var leaders = world.Db.Orders.Where(o => o.ReferenceCheck).ToList();
        Count("orders reference-checked", leaders.Count);
        Count("sent", leaders.Count(o => world.Model.PlacedTickets.ContainsKey(o.ClientOrderId)));
        foreach (var code in world.Db.Events.Select(e => e.Event).OfType<Contracts.OrderRejected>()
            .Where(r => r.ReasonCode is Contracts.RejectionReasonCode.MaxNotionalExceeded or Contracts.RejectionReasonCode.OutsidePriceBand or Contracts.RejectionReasonCode.ReferencePriceUnavailable))
        {
            Count("refused " + code.ReasonCode, 1);
        }

        void Count(string what, int count) => _reference[what] = _reference.GetValueOrDefault(what) + count;
    }

    private void AddStream(string what, long count) => _stream[what] = _stream.GetValueOrDefault(what) + count;

    /// <summary>The stream's steps, frames, reads by cause and the intake's outcomes (empty without the stream).</summary>
    public string StreamSummary() => _stream.Count == 0 ? string.Empty
        : "[simulate] stream: " + string.Join(", ", _stream.Where(s => s.Key.StartsWith("step ", StringComparison.Ordinal) || s.Key.StartsWith("frames ", StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"))
        + "\n[simulate] reads of live orders by cause: " + string.Join(", ", _stream.Where(s => s.Key.StartsWith("reads ", StringComparison.Ordinal)).OrderByDescending(s => s.Value).Select(s => $"{s.Key[6..]} {s.Value}"))
        + "\n[simulate] stream intake: " + string.Join(", ", _stream.Where(s => !s.Key.StartsWith("reads ", StringComparison.Ordinal) && !s.Key.StartsWith("step ", StringComparison.Ordinal) && !s.Key.StartsWith("frames ", StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"));

    public string Summary()
    {
        var declared = TransitionTable.Cells.Count;
        var hit = TransitionTable.Cells.Count(c => _cells.Keys.Any(k => k.StartsWith($"{c.Key.Status} × {c.Key.Input} →", StringComparison.Ordinal)));
        return $"[simulate] transition table cells exercised: {hit} of {declared}; orders at IBKR: {_ordersAtIbkr}; states at the end: "
            + string.Join(", ", _finalStates.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}"))
            + $"; schedules with one user's calls all failing: {_faultyUserSchedules}; live-orders reads saved by sharing: {_sharedReads}"
            + $"; resends of a cOID IBKR had: {_resentWhileRegistered}";
    }

    /// <summary>IBKR's maintenance windows and what they did to orders.</summary>
    public string MaintenanceSummary() => "[simulate] maintenance: " + string.Join(", ", _holds.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key} {h.Value}"));

    /// <summary>Trading halts (kill switch) and what they did to orders.</summary>
    public string HaltSummary() => "[simulate] halts: " + string.Join(", ", _halts.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key} {h.Value}"));

    /// <summary>Orders under the controls that need IBKR's reference price: how many were checked, sent and refused by code.</summary>
    public string ReferenceSummary() => "[simulate] reference-price controls: "
        + string.Join(", ", _reference.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"));

    public void Print(TextWriter writer)
    {
        writer.WriteLine(Summary());
        writer.WriteLine(MaintenanceSummary());
        writer.WriteLine(HaltSummary());
        writer.WriteLine(ReferenceSummary());
        writer.WriteLine(Fills.Summary());
        if (StreamSummary() is { Length: > 0 } stream)
        {
            writer.WriteLine(stream);
        }

        writer.WriteLine("IBKR calls: " + string.Join(", ", _calls.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}")));
        foreach (var (rule, count) in _cells.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            writer.WriteLine($"  {count,8}  {rule}");
        }
    }
}
