using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// A signed statement "the outbox up to <see cref="Sequence"/> had these chain heads": <see cref="Digest"/> (see
/// <see cref="CheckpointDigest"/>) over <see cref="Chains"/> order chains and <see cref="Standalone"/> standalone rows,
/// taken at <see cref="TakenAt"/>, signed with the Ed25519 key <see cref="KeyId"/>. It is one JSON line in the
/// checkpoint file and the message sent to the audit exchange; <see cref="SignedPayload"/> is exactly what is signed.
/// </summary>
public sealed record AuditCheckpoint(
    int Version,
    long Sequence,
    long Chains,
    long Standalone,
    string Digest,
    string TakenAt,
    string Algorithm,
    string KeyId,
    string Signature)
{
    public const int CurrentVersion = 1;
    public const string Ed25519 = "Ed25519";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>
    /// The bytes signed, as UTF-8: a header line and one <c>name:value</c> line per field, each ending in a line feed.
    /// Numbers in decimal ASCII, hashes in lowercase hex, <see cref="TakenAt"/> as written in the line.
    /// </summary>
    public static string Payload(int version, long sequence, long chains, long standalone, string digest, string takenAt, string keyId) =>
        string.Create(CultureInfo.InvariantCulture,
            $"OrderProcessor audit checkpoint v{version}\nsequence:{sequence}\nchains:{chains}\nstandalone:{standalone}\ndigest:{digest}\ntakenAt:{takenAt}\nkeyId:{keyId}\n");

    public string SignedPayload() => Payload(Version, Sequence, Chains, Standalone, Digest, TakenAt, KeyId);

    public byte[] SignedPayloadBytes() => Encoding.UTF8.GetBytes(SignedPayload());

    /// <summary>The time format of <see cref="TakenAt"/>: UTC, always six fractional digits, a literal Z.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Signs a checkpoint of these heads with <paramref name="key"/>.</summary>
    public static AuditCheckpoint Sign(CheckpointSigningKey key, long sequence, CheckpointDigest.Result digest, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(digest);
        var time = FormatTime(takenAt);
        var payload = Payload(CurrentVersion, sequence, digest.Chains, digest.Standalone, digest.Digest, time, key.KeyId);
        var signature = Convert.ToBase64String(key.Sign(Encoding.UTF8.GetBytes(payload)));
        return new AuditCheckpoint(CurrentVersion, sequence, digest.Chains, digest.Standalone, digest.Digest, time, Ed25519, key.KeyId, signature);
    }

    public string ToJsonLine() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads one line of a checkpoint file; a line that is not a checkpoint fails with a reason.</summary>
    public static AuditCheckpoint Parse(string line)
    {
        AuditCheckpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<AuditCheckpoint>(line, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"not a checkpoint: {exception.Message}", exception);
        }

        return checkpoint is { Digest: not null, TakenAt: not null, Algorithm: not null, KeyId: not null, Signature: not null }
            ? checkpoint
            : throw new FormatException("not a checkpoint: a field is missing");
    }
}
