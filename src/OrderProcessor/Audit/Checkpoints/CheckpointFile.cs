using System.Text;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// Checkpoints as JSON lines: appended to <c>audit-checkpoints.jsonl</c> in a directory (flushed to disk before the
/// checkpoint counts as written), read back from a file or from every <c>*.jsonl</c> file of a directory.
/// </summary>
public static class CheckpointFile
{
    public const string FileName = "audit-checkpoints.jsonl";

    /// <summary>Appends one checkpoint; returns the file's path.</summary>
    public static async Task<string> AppendAsync(string directory, AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var bytes = Encoding.UTF8.GetBytes(checkpoint.ToJsonLine() + "\n");
        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
        await stream.WriteAsync(bytes, cancellationToken);
        stream.Flush(flushToDisk: true);
        return path;
    }

    /// <summary>Every checkpoint of a file or of a directory's <c>*.jsonl</c> files; a bad line fails naming its file and line.</summary>
    public static async Task<IReadOnlyList<AuditCheckpoint>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var files = System.IO.Directory.Exists(path)
            ? System.IO.Directory.GetFiles(path, "*.jsonl").Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"{path} is neither a checkpoint file nor a directory", path);
        var checkpoints = new List<AuditCheckpoint>();
        foreach (var file in files)
        {
            var lineNumber = 0;
            foreach (var line in await File.ReadAllLinesAsync(file, cancellationToken))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                try
                {
                    checkpoints.Add(AuditCheckpoint.Parse(line));
                }
                catch (FormatException exception)
                {
                    throw new FormatException($"{file} line {lineNumber}: {exception.Message}", exception);
                }
            }
        }

        return checkpoints;
    }
}
