using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// The digest a checkpoint signs: SHA-256 over one line per order chain, <c>chain {order id} {order sequence} {hash}\n</c>
/// (the order's row with the highest order sequence among its rows up to the checkpoint's outbox sequence, orders in
/// ascending order of their id written lowercase with hyphens), then one line per standalone row (order sequence 0),
/// <c>standalone {outbox sequence} {hash}\n</c>, in ascending outbox sequence. UTF-8, lowercase hex result.
/// </summary>
/// <remarks>
/// The stored hashes are digested; each commits to its row and, through the previous hash, to the whole chain before
/// it. So whoever rewrites a row and recomputes the hashes after it changes the chain's head and the digest, and cannot
/// sign the new digest without the key.
/// </remarks>
public sealed class CheckpointDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _lastOrder;
    private long _lastStandalone;
    private long _chains;
    private long _standalone;

    /// <summary>The digest and what it covers.</summary>
    public sealed record Result(string Digest, long Chains, long Standalone);

    /// <summary>The head of the next order: orders must come in ascending id (as text), all before any standalone row.</summary>
    public void AddChain(Guid orderId, long orderSequence, string hash)
    {
        var id = orderId.ToString("D");
        if (_standalone > 0 || (_lastOrder is not null && string.CompareOrdinal(id, _lastOrder) <= 0))
        {
            throw new InvalidOperationException($"chain heads must come in ascending order id before the standalone rows: {id} after {_lastOrder}");
        }

        _lastOrder = id;
        _chains++;
        Append(string.Create(CultureInfo.InvariantCulture, $"chain {id} {orderSequence} {hash}\n"));
    }

    /// <summary>The next standalone row: in ascending outbox sequence.</summary>
    public void AddStandalone(long sequence, string hash)
    {
        if (sequence <= _lastStandalone)
        {
            throw new InvalidOperationException($"standalone rows must come in ascending outbox sequence: {sequence} after {_lastStandalone}");
        }

        _lastStandalone = sequence;
        _standalone++;
        Append(string.Create(CultureInfo.InvariantCulture, $"standalone {sequence} {hash}\n"));
    }

    public Result Complete() => new(Convert.ToHexStringLower(_hash.GetHashAndReset()), _chains, _standalone);

    public void Dispose() => _hash.Dispose();

    private void Append(string line) => _hash.AppendData(Encoding.UTF8.GetBytes(line));
}
