using System.ComponentModel.DataAnnotations;
using OrderProcessor.Audit.Checkpoints;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Audit;

public sealed class When_checkpoint_options_are_validated(ITestOutputHelper output)
{
    private List<string> Problems(AuditCheckpointOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            output.WriteLine(result.ErrorMessage);
        }

        return results.Select(r => r.ErrorMessage!).ToList();
    }

    [Fact]
    public void Should_leave_checkpoints_off_without_a_key_and_accept_that()
    {
        var options = new AuditCheckpointOptions();
        Assert.False(options.IsEnabled);
        Assert.Empty(Problems(options));
    }

    [Fact]
    public void Should_accept_a_key_and_a_directory()
    {
        var options = new AuditCheckpointOptions { SigningKey = CheckpointSigningKey.Generate().ToPem(), Directory = "/tmp/checkpoints" };
        Assert.True(options.IsEnabled);
        Assert.Empty(Problems(options));
    }

    [Fact]
    public void Should_name_the_key_of_each_mistake()
    {
        Assert.Contains(Problems(new AuditCheckpointOptions { SigningKey = CheckpointSigningKey.Generate().ToPem() }),
            p => p.StartsWith("Audit:Checkpoints:Directory must be set", StringComparison.Ordinal));
        Assert.Contains(Problems(new AuditCheckpointOptions { SigningKeyFile = "/nonexistent/key.pem", Directory = "/tmp" }),
            p => p.StartsWith("Audit:Checkpoints:SigningKeyFile: /nonexistent/key.pem does not exist", StringComparison.Ordinal));
        Assert.Contains(Problems(new AuditCheckpointOptions { SigningKey = CheckpointSigningKey.Generate().PublicKey.ToPem(), Directory = "/tmp" }),
            p => p.StartsWith("Audit:Checkpoints:SigningKey is not an Ed25519 private key", StringComparison.Ordinal));
        Assert.Contains(Problems(new AuditCheckpointOptions { SigningKey = "not a key", Directory = "/tmp" }),
            p => p.StartsWith("Audit:Checkpoints:SigningKey is not an Ed25519 private key", StringComparison.Ordinal));
        Assert.Contains(Problems(new AuditCheckpointOptions { SigningKey = CheckpointSigningKey.Generate().ToPem(), Directory = "/tmp", Interval = TimeSpan.Zero }),
            p => p.StartsWith("Audit:Checkpoints:Interval", StringComparison.Ordinal));
    }
}
