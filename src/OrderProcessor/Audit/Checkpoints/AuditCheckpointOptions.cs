using System.ComponentModel.DataAnnotations;
using OrderProcessor.Configuration;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// Signed audit checkpoints (section <c>Audit:Checkpoints</c>): off until a signing key is configured; then every
/// <see cref="Interval"/> one processor signs the outbox's chain heads and appends the checkpoint to a file in
/// <see cref="Directory"/> and sends it to the audit exchange. The key never goes into the database.
/// </summary>
public sealed class AuditCheckpointOptions : IValidatableObject
{
    public const string Section = "Audit:Checkpoints";

    /// <summary>A PEM file holding the Ed25519 private key (PKCS#8, <c>BEGIN PRIVATE KEY</c>), e.g. a mounted secret.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The same PEM text given directly (e.g. from a key-per-file secret); <see cref="SigningKeyFile"/> wins when both are set.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Where the checkpoints are appended, one JSON line each, to <c>audit-checkpoints.jsonl</c>: a directory the auditor controls.</summary>
    public string? Directory { get; set; }

    /// <summary>How often a checkpoint is taken (by whichever processor gets the lock).</summary>
    [RangeOf<TimeSpan>("00:00:01", "1.00:00:00", ErrorMessage = "Audit:Checkpoints:Interval must be between 1 s and 1 day.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long taking a checkpoint may wait for the outbox write transactions in flight to end (nothing is locked: no
    /// writer waits for a checkpoint): past it, this round is skipped and the next interval tries again. The name is kept
    /// from when a table lock was taken, for the settings already deployed.
    /// </summary>
    [RangeOf<TimeSpan>("00:00:00.050", "00:01:00", ErrorMessage = "Audit:Checkpoints:LockTimeout must be between 50 ms and 1 min.")]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The fanout exchange the checkpoints are also sent to; empty sends none.</summary>
    public string? Exchange { get; set; } = OutboxReplayer.DefaultExchange;

    /// <summary>Whether a key is configured: without one no checkpoint is taken.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(SigningKeyFile) || !string.IsNullOrWhiteSpace(SigningKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Directory))
        {
            yield return new ValidationResult("Audit:Checkpoints:Directory must be set when a checkpoint signing key is (Audit:Checkpoints:SigningKeyFile or SigningKey).",
                [nameof(Directory)]);
        }

        if (!string.IsNullOrWhiteSpace(SigningKeyFile) && !File.Exists(SigningKeyFile))
        {
            yield return new ValidationResult($"Audit:Checkpoints:SigningKeyFile: {SigningKeyFile} does not exist.", [nameof(SigningKeyFile)]);
        }
        else if (KeyProblem() is { } problem)
        {
            var key = string.IsNullOrWhiteSpace(SigningKeyFile) ? "Audit:Checkpoints:SigningKey" : $"Audit:Checkpoints:SigningKeyFile ({SigningKeyFile})";
            yield return new ValidationResult($"{key} is not an Ed25519 private key in PEM: {problem}", [nameof(SigningKeyFile)]);
        }

        if (!string.IsNullOrEmpty(Exchange) && !OutboxReplayer.IsValidExchangeName(Exchange))
        {
            yield return new ValidationResult($"Audit:Checkpoints:Exchange: '{Exchange}' is not a valid exchange name.", [nameof(Exchange)]);
        }
    }

    private string? KeyProblem()
    {
        try
        {
            CheckpointSigningKey.FromPem(ReadSigningKeyPem());
            return null;
        }
        catch (Exception exception) when (exception is FormatException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return exception.Message;
        }
    }

    /// <summary>The signing key's PEM text, from the file or the setting.</summary>
    public string ReadSigningKeyPem() =>
        !string.IsNullOrWhiteSpace(SigningKeyFile) ? File.ReadAllText(SigningKeyFile)
        : SigningKey ?? throw new InvalidOperationException("No checkpoint signing key is configured (Audit:Checkpoints:SigningKeyFile or SigningKey).");
}
