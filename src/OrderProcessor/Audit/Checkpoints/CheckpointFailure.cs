namespace OrderProcessor.Audit.Checkpoints;

/// <summary>Why a checkpoint does not hold.</summary>
public enum CheckpointFailure
{
    /// <summary>The checkpoint names another key than the one given to verify with, or an unknown algorithm or version.</summary>
    WrongKey,

    /// <summary>The signature does not verify: the checkpoint line was altered or forged.</summary>
    SignatureInvalid,

    /// <summary>The database's chain heads up to the checkpoint's sequence no longer give its digest: history was rewritten.</summary>
    DigestMismatch,
}
