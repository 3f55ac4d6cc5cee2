using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Audit;

/// <summary>
/// Recomputes the hash chains of the outbox, one row at a time, in bounded memory. Rows of an order (order sequence &gt; 0)
/// must arrive together, in ascending order sequence (the database reader and <see cref="Verify"/> see to that);
/// standalone rows (order sequence 0) may come at any point. Each break names the order, its sequence and the row.
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

    private Guid? _order;
    private long _lastOrderSequence;
    private long _lastOutboxSequence;
    private string? _lastHash;
    private OrderChainEnd? _chainEnd;

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

        if (_order != row.OrderId)
        {
            CloseChain();
            StartChain(row);
        }
        else
        {
            ContinueChain(row);
        }

        _lastOrderSequence = row.OrderSequence;
        _lastOutboxSequence = row.Sequence;
        _lastHash = row.Hash;
        _chainEnd = chainEnd ?? _chainEnd;
    }

    /// <summary>Ends the verification (closes the last chain) and returns the report.</summary>
    public AuditReport Complete()
    {
        CloseChain();
        return new AuditReport(_rows, _chains, _standalone, _breaks.ToList(), _breaksOmitted);
    }

    private void StartChain(OutboxMessage row)
    {
        _order = row.OrderId;
        _chainEnd = null;
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

    private void ContinueChain(OutboxMessage row)
    {
        if (row.OrderSequence == _lastOrderSequence)
        {
            Report(row, AuditBreakKind.SequenceGap, $"order sequence {row.OrderSequence} appears twice (outbox rows {_lastOutboxSequence} and {row.Sequence}): a row was inserted");
        }
        else if (row.OrderSequence != _lastOrderSequence + 1)
        {
            Report(row, AuditBreakKind.SequenceGap, row.OrderSequence == _lastOrderSequence + 2
                ? $"order sequence jumps from {_lastOrderSequence} to {row.OrderSequence}: event {_lastOrderSequence + 1} is missing (removed)"
                : $"order sequence jumps from {_lastOrderSequence} to {row.OrderSequence}: events {_lastOrderSequence + 1}..{row.OrderSequence - 1} are missing (removed)");
        }
        else if (!string.Equals(row.PreviousHash, _lastHash, StringComparison.Ordinal))
        {
            Report(row, AuditBreakKind.PreviousHashMismatch,
                $"its previous hash is not the hash of order sequence {_lastOrderSequence} (outbox row {_lastOutboxSequence}): a row was removed, inserted or reordered before it");
        }
    }

    private void CloseChain()
    {
        if (_order is not { } orderId || _chainEnd is not { } end)
        {
            _order = null;
            return;
        }

        if (end.LastEventSequence != _lastOrderSequence || !string.Equals(end.LastEventHash, _lastHash, StringComparison.Ordinal))
        {
            var description = end.LastEventSequence > _lastOrderSequence
                ? $"the order's last event is sequence {end.LastEventSequence} but its chain ends at {_lastOrderSequence}: the latest events are missing (removed)"
                : end.LastEventSequence < _lastOrderSequence
                    ? $"the order row says its last event is sequence {end.LastEventSequence} but the chain goes on to {_lastOrderSequence}: rows were appended"
                    : $"the order row's last event hash is not the hash of its last event (sequence {_lastOrderSequence}): that event was altered or replaced";
            AddBreak(new AuditBreak(orderId, _lastOrderSequence, _lastOutboxSequence, AuditBreakKind.ChainEndMismatch, description));
        }

        _order = null;
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
}
