using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Audit;

/// <summary>
/// Recomputes the hash chains of the outbox, one row at a time. By default the rows of an order (order sequence &gt; 0)
/// arrive together, in ascending order sequence (the database reader and <see cref="Verify"/> see to that), and memory
/// stays bounded; with <see cref="AuditVerifierOptions.RowsInterleaved"/> they may come in outbox order (as in a JSON-lines
/// export) and the verifier keeps one small state per order. Standalone rows (order sequence 0) may come at any point.
/// Each break names the order, its sequence and the row.
/// </summary>
/// <remarks>
/// The chain links a row to its predecessor's <em>stored</em> hash, so an altered row is reported once (its hash
/// mismatch) rather than breaking every later link; a removed, inserted or reordered row breaks the link or the
/// numbering after it.
/// </remarks>
public sealed class AuditVerifier(AuditVerifierOptions? options = null)
{
    private readonly AuditVerifierOptions _options = options ?? new AuditVerifierOptions();
    private readonly List<AuditBreak> _breaks = [];
    private long _breaksOmitted;
    private long _rows;
    private long _chains;
    private long _standalone;

    // One open chain when rows come grouped by order; every order's chain when they come interleaved (outbox order).
    private readonly Dictionary<Guid, ChainState> _open = [];
    private Guid? _current;

    public long RowsChecked => _rows;

    public long BreakCount => _breaks.Count + _breaksOmitted;

    /// <summary>Verifies rows in any order: sorts them by order and order sequence first (memory grows with the rows).</summary>
    public static AuditReport Verify(IEnumerable<OutboxMessage> rows, AuditVerifierOptions? options = null)
    {
        var verifier = new AuditVerifier(options);
        foreach (var row in rows.OrderBy(r => r.OrderSequence == 0).ThenBy(r => r.OrderId).ThenBy(r => r.OrderSequence).ThenBy(r => r.Sequence))
        {
            verifier.Add(row);
        }

        return verifier.Complete();
    }

    /// <summary>
    /// Checks one row. <paramref name="chainEnd"/>, when known, is what the order's saga row says about the chain's
    /// end; it is compared with the last row of the order when the order's rows are over.
    /// </summary>
    public void Add(OutboxMessage row, OrderChainEnd? chainEnd = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        _rows++;
        if (!string.Equals(row.Hash, OutboxHash.Compute(row), StringComparison.Ordinal))
        {
            Report(row, AuditBreakKind.HashMismatch, "row altered: its stored hash does not match its content");
        }

        if (row.OrderSequence == 0)
        {
            _standalone++;
            if (row.PreviousHash is not null)
            {
                Report(row, AuditBreakKind.PreviousHashMismatch, "a standalone event (order sequence 0) carries a previous hash: it was moved out of a chain");
            }

            return;
        }

        if (!_open.TryGetValue(row.OrderId, out var chain))
        {
            if (!_options.RowsInterleaved && _current is { } previous)
            {
                Close(previous, _open[previous]);
                _open.Remove(previous);
            }

            chain = new ChainState();
            _open[row.OrderId] = chain;
            _current = row.OrderId;
            StartChain(row);
        }
        else
        {
            ContinueChain(row, chain);
        }

        chain.LastOrderSequence = row.OrderSequence;
        chain.LastOutboxSequence = row.Sequence;
        chain.LastHash = row.Hash;
        chain.End = chainEnd ?? chain.End;
    }

    /// <summary>An order whose saga row records events of which the outbox holds none: all of them were removed.</summary>
    public void AddOrderWithoutEvents(Guid orderId, OrderChainEnd chainEnd)
    {
        ArgumentNullException.ThrowIfNull(chainEnd);
        _chains++;
        AddBreak(new AuditBreak(orderId, 0, 0, AuditBreakKind.ChainEndMismatch,
            $"the order row records {chainEnd.LastEventSequence} event(s) but the outbox holds none of them: they were removed"));
    }

    /// <summary>Ends the verification (closes the last chain) and returns the report.</summary>
    public AuditReport Complete()
    {
        foreach (var (orderId, chain) in _open)
        {
            Close(orderId, chain);
        }

        _open.Clear();
        _current = null;
        return new AuditReport(_rows, _chains, _standalone, _breaks.ToList(), _breaksOmitted);
    }

    private void StartChain(OutboxMessage row)
    {
        _chains++;
        if (row.OrderSequence == 1)
        {
            if (row.PreviousHash is not null)
            {
                Report(row, AuditBreakKind.PreviousHashMismatch, "the order's first event carries a previous hash: events were removed before it");
            }
        }
        else if (!_options.ChainsMayStartLater)
        {
            Report(row, AuditBreakKind.SequenceGap, row.OrderSequence < 1
                ? $"order sequence {row.OrderSequence} is not a valid sequence number"
                : $"the order's chain starts at sequence {row.OrderSequence}: events 1..{row.OrderSequence - 1} are missing (removed)");
        }
    }

    private void ContinueChain(OutboxMessage row, ChainState chain)
    {
        if (row.OrderSequence == chain.LastOrderSequence)
        {
            Report(row, AuditBreakKind.SequenceGap, $"order sequence {row.OrderSequence} appears twice (outbox rows {chain.LastOutboxSequence} and {row.Sequence}): a row was inserted");
        }
        else if (row.OrderSequence < chain.LastOrderSequence)
        {
            Report(row, AuditBreakKind.SequenceGap, $"order sequence {row.OrderSequence} comes after {chain.LastOrderSequence} (outbox row {chain.LastOutboxSequence}): rows were reordered");
        }
        else if (row.OrderSequence != chain.LastOrderSequence + 1)
        {
            Report(row, AuditBreakKind.SequenceGap, row.OrderSequence == chain.LastOrderSequence + 2
                ? $"order sequence jumps from {chain.LastOrderSequence} to {row.OrderSequence}: event {chain.LastOrderSequence + 1} is missing (removed)"
                : $"order sequence jumps from {chain.LastOrderSequence} to {row.OrderSequence}: events {chain.LastOrderSequence + 1}..{row.OrderSequence - 1} are missing (removed)");
        }
        else if (!string.Equals(row.PreviousHash, chain.LastHash, StringComparison.Ordinal))
        {
            Report(row, AuditBreakKind.PreviousHashMismatch,
                $"its previous hash is not the hash of order sequence {chain.LastOrderSequence} (outbox row {chain.LastOutboxSequence}): a row was removed, inserted or reordered before it");
        }
    }

    private void Close(Guid orderId, ChainState chain)
    {
        if (chain.End is not { } end)
        {
            return;
        }

        if (end.LastEventSequence != chain.LastOrderSequence || !string.Equals(end.LastEventHash, chain.LastHash, StringComparison.Ordinal))
        {
            var description = end.LastEventSequence > chain.LastOrderSequence
                ? $"the order's last event is sequence {end.LastEventSequence} but its chain ends at {chain.LastOrderSequence}: the latest events are missing (removed)"
                : end.LastEventSequence < chain.LastOrderSequence
                    ? $"the order row says its last event is sequence {end.LastEventSequence} but the chain goes on to {chain.LastOrderSequence}: rows were appended"
                    : $"the order row's last event hash is not the hash of its last event (sequence {chain.LastOrderSequence}): that event was altered or replaced";
            AddBreak(new AuditBreak(orderId, chain.LastOrderSequence, chain.LastOutboxSequence, AuditBreakKind.ChainEndMismatch, description));
        }
    }

    private void Report(OutboxMessage row, AuditBreakKind kind, string description) =>
        AddBreak(new AuditBreak(row.OrderId, row.OrderSequence, row.Sequence, kind, description));

    private void AddBreak(AuditBreak auditBreak)
    {
        if (_breaks.Count < _options.MaxBreaksKept)
        {
            _breaks.Add(auditBreak);
        }
        else
        {
            _breaksOmitted++;
        }
    }

    private sealed class ChainState
    {
        public long LastOrderSequence { get; set; }
        public long LastOutboxSequence { get; set; }
        public string? LastHash { get; set; }
        public OrderChainEnd? End { get; set; }
    }
}
