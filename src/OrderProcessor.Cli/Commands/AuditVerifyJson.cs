using System.Text.Encodings.Web;
using System.Text.Json;
using OrderProcessor.Audit;
using OrderProcessor.Audit.Checkpoints;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders audit verify --json</c>: the outcome as one JSON document, for scripts: <c>intact</c> (rows and
/// checkpoints), the counts, every break kept and every checkpoint with whether it holds.
/// </summary>
public static class AuditVerifyJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Stream output, AuditReport report, CheckpointReport? checkpoints, string source, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(report);
        using (var json = new Utf8JsonWriter(output, Options))
        {
            json.WriteStartObject();
            json.WriteString("source", source);
            json.WriteBoolean("intact", report.IsIntact && checkpoints?.IsIntact != false);
            json.WriteBoolean("chainsIntact", report.IsIntact);
            json.WriteNumber("rowsChecked", report.RowsChecked);
            json.WriteNumber("chainsChecked", report.ChainsChecked);
            json.WriteNumber("standaloneRows", report.StandaloneRows);
            json.WriteNumber("breakCount", report.BreakCount);
            json.WriteNumber("breaksOmitted", report.BreaksOmitted);
            json.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
            json.WriteStartArray("breaks");
            foreach (var item in report.Breaks)
            {
                json.WriteStartObject();
                json.WriteString("orderId", item.OrderId);
                json.WriteNumber("orderSequence", item.OrderSequence);
                json.WriteNumber("outboxSequence", item.OutboxSequence);
                json.WriteString("kind", item.Kind.ToString());
                json.WriteString("description", item.Description);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (checkpoints is null)
            {
                json.WriteNull("checkpoints");
            }
            else
            {
                WriteCheckpoints(json, checkpoints);
            }

            json.WriteEndObject();
        }

        output.Write("\n"u8);
        output.Flush();
    }

    private static void WriteCheckpoints(Utf8JsonWriter json, CheckpointReport checkpoints)
    {
        json.WriteStartObject("checkpoints");
        json.WriteBoolean("intact", checkpoints.IsIntact);
        if (checkpoints.Reason is { } reason)
        {
            json.WriteString("reason", reason);
        }

        json.WriteNumber("checked", checkpoints.Checks.Count);
        json.WriteNumber("failed", checkpoints.Failures.Count());
        if (checkpoints.LastHoldingBeforeFirstFailure is { } holding && !checkpoints.IsIntact)
        {
            json.WriteNumber("holdsUpToSequence", holding.Checkpoint.Sequence);
        }

        json.WriteNumber("backdateToleranceSeconds", checkpoints.BackdateTolerance.TotalSeconds);
        json.WriteNumber("backdatedCount", checkpoints.BackdatedCount);
        json.WriteStartArray("backdated");
        foreach (var row in checkpoints.Backdated)
        {
            json.WriteStartObject();
            json.WriteNumber("outboxSequence", row.OutboxSequence);
            json.WriteString("orderId", row.OrderId);
            json.WriteNumber("orderSequence", row.OrderSequence);
            json.WriteString("createdAt", AuditCheckpoint.FormatTime(row.CreatedAt));
            json.WriteNumber("checkpointSequence", row.CheckpointSequence);
            json.WriteString("checkpointTakenAt", row.CheckpointTakenAt);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("items");
        foreach (var check in checkpoints.Checks)
        {
            var checkpoint = check.Checkpoint;
            json.WriteStartObject();
            json.WriteNumber("sequence", checkpoint.Sequence);
            json.WriteString("takenAt", checkpoint.TakenAt);
            json.WriteString("keyId", checkpoint.KeyId);
            json.WriteBoolean("holds", check.Holds);
            if (check.Failure is { } failure)
            {
                json.WriteString("failure", failure.ToString());
                json.WriteString("description", check.Description);
            }

            json.WriteString("digest", checkpoint.Digest);
            json.WriteNumber("chains", checkpoint.Chains);
            json.WriteNumber("standalone", checkpoint.Standalone);
            if (check.SuspectsAfter is { } after)
            {
                json.WriteNumber("suspectsAfter", after);
                json.WriteString("suspectsCover", CheckpointSuspect.Covers);
                json.WriteStartArray("suspects");
                foreach (var suspect in check.Suspects)
                {
                    json.WriteStartObject();
                    json.WriteString("orderId", suspect.OrderId);
                    json.WriteNumber("orderSequence", suspect.OrderSequence);
                    json.WriteNumber("outboxSequence", suspect.OutboxSequence);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            if (check.ActualDigest is not null)
            {
                json.WriteString("actualDigest", check.ActualDigest);
                json.WriteNumber("actualChains", check.ActualChains);
                json.WriteNumber("actualStandalone", check.ActualStandalone);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
