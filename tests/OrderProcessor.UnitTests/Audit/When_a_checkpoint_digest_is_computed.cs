using System.Security.Cryptography;
using System.Text;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Audit;

public sealed class When_a_checkpoint_digest_is_computed(ITestOutputHelper output)
{
    private static readonly Guid OrderA = Guid.Parse("0a000000-0000-0000-0000-000000000000");
    private static readonly Guid OrderB = Guid.Parse("b0000000-0000-0000-0000-000000000000");

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Should_hash_the_documented_lines_chains_by_order_id_then_standalone_rows_by_sequence()
    {
        // Fed in outbox order, interleaved: the heads are each order's highest order sequence, sorted by id as text.
        var heads = new ChainHeads();
        heads.Add(1, OrderB, 1, "b1");
        heads.Add(2, OrderA, 1, "a1");
        heads.Add(3, Guid.Empty, 0, "s3");
        heads.Add(4, OrderB, 2, "b2");
        heads.Add(5, Guid.Empty, 0, "s5");

        var digest = heads.Digest();

        var expected = Sha256($"chain {OrderA:D} 1 a1\nchain {OrderB:D} 2 b2\nstandalone 3 s3\nstandalone 5 s5\n");
        output.WriteLine($"digest {digest.Digest} over {digest.Chains} chains and {digest.Standalone} standalone rows");
        Assert.Equal(new CheckpointDigest.Result(expected, 2, 2), digest);
        Assert.Equal(Sha256(string.Empty), new ChainHeads().Digest().Digest);
    }

    [Fact]
    public void Should_refuse_chains_out_of_id_order_and_standalone_rows_out_of_sequence()
    {
        // Ids compare as their lowercase text (PostgreSQL's uuid order): 00000001-ffff-... comes before 01000000-0000-...
        var low = Guid.Parse("00000001-ffff-0000-0000-000000000000");
        var high = Guid.Parse("01000000-0000-0000-0000-000000000000");
        using var digest = new CheckpointDigest();
        digest.AddChain(low, 1, "x");
        digest.AddChain(high, 1, "y");
        Assert.Throws<InvalidOperationException>(() => digest.AddChain(low, 2, "z"));
        digest.AddStandalone(5, "s");
        Assert.Throws<InvalidOperationException>(() => digest.AddStandalone(5, "t"));
        Assert.Throws<InvalidOperationException>(() => digest.AddChain(Guid.Parse("ffffffff-0000-0000-0000-000000000000"), 1, "late"));
    }

    private static List<OutboxMessage> Chain(Guid orderId, int events, long firstSequence)
    {
        var rows = new List<OutboxMessage>();
        string? previous = null;
        for (var i = 1; i <= events; i++)
        {
            var row = new OutboxMessage
            {
                Sequence = firstSequence + (i - 1) * 2,
                MessageId = Guid.NewGuid(),
                OrderId = orderId,
                OrderSequence = i,
                MessageType = "OrderAccepted",
                Body = $"{{\"n\":{i}}}",
                CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
                PreviousHash = previous,
            };
            row.Hash = OutboxHash.Compute(row);
            previous = row.Hash;
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task Should_catch_a_row_rewritten_with_every_hash_after_it_recomputed_from_the_first_checkpoint_after_it()
    {
        var rows = Chain(OrderA, 4, 1).Concat(Chain(OrderB, 4, 2)).OrderBy(r => r.Sequence).ToList();
        var key = CheckpointSigningKey.Generate();
        var heads = new ChainHeads();
        var checkpoints = new List<AuditCheckpoint>();
        foreach (var row in rows)
        {
            heads.Add(row.Sequence, row.OrderId, row.OrderSequence, row.Hash);
            if (row.Sequence % 3 == 0)
            {
                checkpoints.Add(AuditCheckpoint.Sign(key, row.Sequence, heads.Digest(), DateTimeOffset.UnixEpoch));
            }
        }

        var intact = await CheckpointAuditor.VerifyAsync(checkpoints, key.PublicKey, rows.ToAsyncEnumerable(), default);
        Assert.True(intact.IsIntact, string.Join("; ", intact.Failures.Select(f => f.Description)));

        // The DBA rewrites order B's event 2 (outbox sequence 4) and recomputes its hash and every later one of the chain.
        var chainB = rows.Where(r => r.OrderId == OrderB).ToList();
        chainB[1].Body = "{\"n\":20}";
        for (var i = 1; i < chainB.Count; i++)
        {
            chainB[i].PreviousHash = chainB[i - 1].Hash;
            chainB[i].Hash = OutboxHash.Compute(chainB[i]);
        }

        Assert.True(OrderProcessor.Audit.AuditVerifier.Verify(rows).IsIntact);
        var report = await CheckpointAuditor.VerifyAsync(checkpoints, key.PublicKey, rows.ToAsyncEnumerable(), default);

        foreach (var check in report.Checks)
        {
            output.WriteLine($"checkpoint at {check.Checkpoint.Sequence}: {(check.Holds ? "holds" : check.Failure + ": " + check.Description)}");
        }

        Assert.Equal([3L], report.Checks.Where(c => c.Holds).Select(c => c.Checkpoint.Sequence));
        Assert.Equal([6L], report.Failures.Select(c => c.Checkpoint.Sequence));
        Assert.Equal(3L, report.LastHoldingBeforeFirstFailure?.Checkpoint.Sequence);
        // Heads written after 3, at 6: order A's #3 (row 5) and order B's #3 (row 6, rewritten through its #2).
        Assert.Equal([(OrderA, 5L), (OrderB, 6L)], report.Failures.Single().Suspects.Select(s => (s.OrderId, s.OutboxSequence)));
    }
}
