using System.ComponentModel.DataAnnotations;

namespace OrderProcessor.Configuration;

/// <summary>
/// The PostgreSQL database (connection string <c>ConnectionStrings:OrderProcessor</c>, environment variable
/// <c>ConnectionStrings__OrderProcessor</c>; other settings in section <c>Database</c>).
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "OrderProcessor";

    [Required(ErrorMessage = "ConnectionStrings:OrderProcessor is required (environment variable ConnectionStrings__OrderProcessor), e.g. Host=127.0.0.1;Port=54329;Username=orderprocessor;Password=...;Database=orderprocessor.")]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Apply pending schema migrations when the processor starts.</summary>
    public bool MigrateOnStart { get; set; }
}
