using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace OrderProcessor.Configuration;

/// <summary>
/// The PostgreSQL database (connection string <c>ConnectionStrings:OrderProcessor</c>, environment variable
/// <c>ConnectionStrings__OrderProcessor</c>; other settings in section <c>Database</c>).
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";
    public const string ConnectionStringName = "OrderProcessor";

    [Required(ErrorMessage = "ConnectionStrings:OrderProcessor is required (environment variable ConnectionStrings__OrderProcessor), e.g. Host=127.0.0.1;Port=54329;Username=orderprocessor;Password=...;Database=orderprocessor.")]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Apply pending schema migrations when the processor starts.</summary>
    public bool MigrateOnStart { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException exception)
        {
            return [new ValidationResult($"ConnectionStrings:OrderProcessor is not a valid PostgreSQL connection string: {exception.Message}", [nameof(ConnectionString)])];
        }

        // With a primary and its standby listed, Npgsql's default takes any host: writes would reach the standby.
        var hosts = builder.Host?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var targets = builder.TargetSessionAttributes?.Trim().ToLowerInvariant();
        if (hosts.Length > 1 && targets is not ("primary" or "read-write"))
        {
            return [new ValidationResult(
                $"ConnectionStrings:OrderProcessor lists {hosts.Length} hosts but Target Session Attributes is '{builder.TargetSessionAttributes ?? "any"}': " +
                "set Target Session Attributes=primary so that only the primary takes the processor's writes (README, \"Production deployment\").",
                [nameof(ConnectionString)])];
        }

        return [];
    }
}
