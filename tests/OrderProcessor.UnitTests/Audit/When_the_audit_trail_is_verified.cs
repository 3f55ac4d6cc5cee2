using OrderProcessor.Audit;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.UnitTests.Audit;

public sealed class When_the_audit_trail_is_verified
{
    private static readonly Guid OrderA = Guid.Parse("0191f3c2-0000-7000-8000-00000000000a");
    private static readonly Guid OrderB = Guid.Parse("0191f3c2-0000-7000-8000-00000000000b");
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Two orders of four and three events, interleaved in the outbox as the relay writes them, and one standalone event.</summary>
    private static List<OutboxMessage> Trail()
    {
        var rows = new List<OutboxMessage>();
        var lastHash = new Dictionary<Guid, string?> { [OrderA] = null, [OrderB] = null };
        var sequence = 0L;
        void Append(Guid order, long orderSequence)
        {
            var row = new OutboxMessage
            {
                Sequence = ++sequence,
                MessageId = Guid.CreateVersion7(Start.AddSeconds(sequence)),
                OrderId = order,
                OrderSequence = orderSequence,
                MessageType = orderSequence == 1 ? "OrderAccepted" : "OrderStatusChanged",
                Body = $$"""{"orderId":"{{order}}","sequence":{{orderSequence}},"status":"Working"}""",
                CorrelationId = order,
                CausationId = Guid.NewGuid(),
                CreatedAt = Start.AddSeconds(sequence),
                PreviousHash = orderSequence == 0 ? null : lastHash[order],
            };
            row.Hash = OutboxHash.Compute(row);
            if (orderSequence > 0)
            {
                lastHash[order] = row.Hash;
            }

            rows.Add(row);
        }

        Append(OrderA, 1);
        Append(OrderB, 1);
        Append(OrderA, 2);
        Append(Guid.Parse("0191f3c2-0000-7000-8000-0000000000cc"), 0);
        Append(OrderA, 3);
        Append(OrderB, 2);
        Append(OrderA, 4);
        Append(OrderB, 3);
        return rows;
    }

    private static OutboxMessage Row(List<OutboxMessage> rows, Guid order, long orderSequence) =>
        rows.Single(r => r.OrderId == order && r.OrderSequence == orderSequence);

    [Fact]
    public void Should_pass_an_intact_trail_and_count_its_chains()
    {
        var report = AuditVerifier.Verify(Trail());

        Assert.True(report.IsIntact, string.Join("; ", report.Breaks));
        Assert.Equal((8L, 2L, 1L), (report.RowsChecked, report.ChainsChecked, report.StandaloneRows));
    }

    [Fact]
    public void Should_name_the_row_whose_body_was_altered()
    {
        var rows = Trail();
        var altered = Row(rows, OrderA, 2);
        altered.Body = altered.Body.Replace("Working", "Filled", StringComparison.Ordinal);

        var report = AuditVerifier.Verify(rows);

        var only = Assert.Single(report.Breaks);
        Assert.Equal((OrderA, 2L, altered.Sequence, AuditBreakKind.HashMismatch), (only.OrderId, only.OrderSequence, only.OutboxSequence, only.Kind));
    }

    [Fact]
    public void Should_name_the_gap_a_removed_row_leaves()
    {
        var rows = Trail();
        rows.Remove(Row(rows, OrderA, 2));

        var report = AuditVerifier.Verify(rows);

        var only = Assert.Single(report.Breaks);
        Assert.Equal((OrderA, 3L, AuditBreakKind.SequenceGap), (only.OrderId, only.OrderSequence, only.Kind));
        Assert.Contains("event 2 is missing", only.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_notice_a_removed_first_event()
    {
        var rows = Trail();
        rows.Remove(Row(rows, OrderB, 1));

        var only = Assert.Single(AuditVerifier.Verify(rows).Breaks);

        Assert.Equal((OrderB, 2L, AuditBreakKind.SequenceGap), (only.OrderId, only.OrderSequence, only.Kind));
    }

    [Fact]
    public void Should_notice_reordered_rows_whose_sequence_numbers_were_swapped_with_their_hashes()
    {
        // The strongest reordering: rows 2 and 3 exchange their places in the chain and each gets a valid hash of
        // its new content, as someone who knows the hash function would do.
        var rows = Trail();
        var (second, third) = (Row(rows, OrderA, 2), Row(rows, OrderA, 3));
        (second.OrderSequence, third.OrderSequence) = (3, 2);
        (second.PreviousHash, third.PreviousHash) = (third.PreviousHash, second.PreviousHash);
        second.Hash = OutboxHash.Compute(second);
        third.Hash = OutboxHash.Compute(third);

        var report = AuditVerifier.Verify(rows);

        Assert.NotEmpty(report.Breaks);
        Assert.All(report.Breaks, b => Assert.Equal(OrderA, b.OrderId));
        Assert.Contains(report.Breaks, b => b.Kind == AuditBreakKind.PreviousHashMismatch);
    }

    [Fact]
    public void Should_notice_reordered_rows_that_kept_their_old_hashes()
    {
        var rows = Trail();
        var (second, third) = (Row(rows, OrderA, 2), Row(rows, OrderA, 3));
        (second.OrderSequence, third.OrderSequence) = (3, 2);

        var report = AuditVerifier.Verify(rows);

        Assert.Equal([(2L, AuditBreakKind.HashMismatch), (2L, AuditBreakKind.PreviousHashMismatch), (3L, AuditBreakKind.HashMismatch), (3L, AuditBreakKind.PreviousHashMismatch), (4L, AuditBreakKind.PreviousHashMismatch)],
            report.Breaks.Select(b => (b.OrderSequence, b.Kind)));
    }

    [Fact]
    public void Should_name_a_row_whose_previous_hash_was_altered()
    {
        var rows = Trail();
        var altered = Row(rows, OrderB, 3);
        altered.PreviousHash = new string('0', 64);

        var report = AuditVerifier.Verify(rows);

        Assert.Equal([(OrderB, 3L, AuditBreakKind.HashMismatch), (OrderB, 3L, AuditBreakKind.PreviousHashMismatch)],
            report.Breaks.Select(b => (b.OrderId, b.OrderSequence, b.Kind)));
    }

    [Fact]
    public void Should_notice_an_altered_previous_hash_even_when_the_row_was_rehashed()
    {
        var rows = Trail();
        var altered = Row(rows, OrderB, 3);
        altered.PreviousHash = new string('0', 64);
        altered.Hash = OutboxHash.Compute(altered);

        var only = Assert.Single(AuditVerifier.Verify(rows).Breaks);

        Assert.Equal((OrderB, 3L, AuditBreakKind.PreviousHashMismatch), (only.OrderId, only.OrderSequence, only.Kind));
    }

    [Fact]
    public void Should_notice_an_altered_and_rehashed_row_at_the_next_link()
    {
        var rows = Trail();
        var altered = Row(rows, OrderA, 2);
        altered.Body = altered.Body.Replace("Working", "Filled", StringComparison.Ordinal);
        altered.Hash = OutboxHash.Compute(altered);

        var only = Assert.Single(AuditVerifier.Verify(rows).Breaks);

        Assert.Equal((OrderA, 3L, AuditBreakKind.PreviousHashMismatch), (only.OrderId, only.OrderSequence, only.Kind));
    }

    [Fact]
    public void Should_notice_a_standalone_row_that_was_altered_or_carries_a_previous_hash()
    {
        var rows = Trail();
        var standalone = rows.Single(r => r.OrderSequence == 0);
        standalone.PreviousHash = new string('a', 64);

        var report = AuditVerifier.Verify(rows);

        Assert.Equal([AuditBreakKind.HashMismatch, AuditBreakKind.PreviousHashMismatch], report.Breaks.Select(b => b.Kind));
        Assert.All(report.Breaks, b => Assert.Equal((0L, standalone.Sequence), (b.OrderSequence, b.OutboxSequence)));
    }

    [Fact]
    public void Should_notice_removed_last_events_from_the_order_row()
    {
        var rows = Trail().Where(r => r.OrderSequence > 0).OrderBy(r => r.OrderId).ThenBy(r => r.OrderSequence).ToList();
        var lastOfA = Row(rows, OrderA, 4);
        rows.Remove(lastOfA);
        var verifier = new AuditVerifier();
        foreach (var row in rows)
        {
            verifier.Add(row, row.OrderId == OrderA ? new OrderChainEnd(4, lastOfA.Hash) : new OrderChainEnd(3, Row(rows, OrderB, 3).Hash));
        }

        var only = Assert.Single(verifier.Complete().Breaks);

        Assert.Equal((OrderA, 3L, AuditBreakKind.ChainEndMismatch), (only.OrderId, only.OrderSequence, only.Kind));
        Assert.Contains("sequence 4", only.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_name_an_order_whose_events_are_all_gone()
    {
        var verifier = new AuditVerifier();
        verifier.AddOrderWithoutEvents(OrderA, new OrderChainEnd(4, new string('a', 64)));

        var only = Assert.Single(verifier.Complete().Breaks);

        Assert.Equal((OrderA, 0L, AuditBreakKind.ChainEndMismatch), (only.OrderId, only.OrderSequence, only.Kind));
    }

    [Fact]
    public void Should_accept_a_partial_export_only_when_told_and_still_check_its_links()
    {
        var rows = Trail().Where(r => r.OrderSequence is 0 or >= 2).ToList();
        Assert.False(AuditVerifier.Verify(rows).IsIntact);
        Assert.True(AuditVerifier.Verify(rows, new AuditVerifierOptions { ChainsMayStartLater = true }).IsIntact);

        rows.Remove(Row(rows, OrderA, 3));
        var only = Assert.Single(AuditVerifier.Verify(rows, new AuditVerifierOptions { ChainsMayStartLater = true }).Breaks);
        Assert.Equal((OrderA, 4L, AuditBreakKind.SequenceGap), (only.OrderId, only.OrderSequence, only.Kind));
    }

    [Fact]
    public void Should_keep_a_bounded_number_of_breaks_and_count_the_rest()
    {
        var rows = Trail();
        foreach (var row in rows)
        {
            row.Body += " ";
        }

        var report = AuditVerifier.Verify(rows, new AuditVerifierOptions { MaxBreaksKept = 3 });

        Assert.Equal((3, 5L, 8L), (report.Breaks.Count, report.BreaksOmitted, report.BreakCount));
    }

    [Fact]
    public void Should_verify_rows_in_outbox_order_when_told_they_interleave()
    {
        var interleaved = new AuditVerifierOptions { RowsInterleaved = true };
        var rows = Trail();

        Assert.True(Verify(rows, interleaved).IsIntact);
        Assert.False(Verify(rows, new AuditVerifierOptions()).IsIntact);

        rows.Remove(Row(rows, OrderB, 2));
        var only = Assert.Single(Verify(rows, interleaved).Breaks);
        Assert.Equal((OrderB, 3L, AuditBreakKind.SequenceGap), (only.OrderId, only.OrderSequence, only.Kind));
    }

    [Fact]
    public void Should_name_rows_that_come_out_of_order_sequence_in_outbox_order()
    {
        var rows = Trail();
        var (second, third) = (rows.IndexOf(Row(rows, OrderA, 2)), rows.IndexOf(Row(rows, OrderA, 3)));
        (rows[second], rows[third]) = (rows[third], rows[second]);

        var report = Verify(rows, new AuditVerifierOptions { RowsInterleaved = true });

        Assert.Equal([(3L, AuditBreakKind.SequenceGap), (2L, AuditBreakKind.SequenceGap), (4L, AuditBreakKind.SequenceGap)],
            report.Breaks.Select(b => (b.OrderSequence, b.Kind)));
        Assert.All(report.Breaks, b => Assert.Equal(OrderA, b.OrderId));
    }

    private static AuditReport Verify(IEnumerable<OutboxMessage> rowsInGivenOrder, AuditVerifierOptions options)
    {
        var verifier = new AuditVerifier(options);
        foreach (var row in rowsInGivenOrder)
        {
            verifier.Add(row);
        }

        return verifier.Complete();
    }

    [Fact]
    public void Should_round_trip_rows_through_json_lines_byte_for_byte()
    {
        var rows = Trail();
        rows[0].PublishedAt = Start.AddTicks(1230);
        rows[0].ResponseAddress = "rabbitmq://localhost/reply";
        rows[0].RequestId = Guid.NewGuid();
        rows[0].TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        rows[1].Body = "{ \"orderId\" : \"x\",\n  \"sequence\": 1 }";
        rows[1].Hash = OutboxHash.Compute(rows[1]);

        var lines = rows.Select(OutboxJsonLines.Serialize).ToList();
        var read = lines.Select((line, i) => OutboxJsonLines.Parse(line, i + 1)).ToList();

        Assert.All(lines, l => Assert.DoesNotContain('\n', l));
        Assert.Equal(rows.Select(OutboxJsonLines.Serialize), read.Select(OutboxJsonLines.Serialize));
        Assert.Equal(rows.Select(r => r.Body), read.Select(r => r.Body));
        Assert.Equal(rows.Select(r => r.Hash), read.Select(OutboxHash.Compute));
        Assert.Contains("\"body\":{\"orderId\"", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_name_the_line_that_is_not_a_row()
    {
        var exception = Assert.Throws<FormatException>(() => OutboxJsonLines.Parse("{\"sequence\":1}", 17));
        Assert.StartsWith("line 17", exception.Message, StringComparison.Ordinal);
    }
}
