using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OrderProcessor.Host;

/// <summary>
/// Builds the application and checks every setting validated at start-up before anything connects or migrates,
/// reporting all that are missing or wrong in one log entry naming their keys (through the configured console logger,
/// JSON included). Outside Development nothing has a developer default (no local connection string, broker or
/// guest/guest), so a deployment that forgot a setting stops here, with <see cref="InvalidExitCode"/>.
/// </summary>
internal static partial class StartupSettings
{
    /// <summary>The process's exit code when a setting is missing or wrong (EX_CONFIG of sysexits.h).</summary>
    public const int InvalidExitCode = 78;

    /// <summary>
    /// Registers the services (<paramref name="register"/> may read settings itself), builds and validates, or logs
    /// every setting missing, wrong or not convertible (a word where a number or duration belongs) and returns null.
    /// </summary>
    public static async Task<WebApplication?> BuildCheckedAsync(WebApplicationBuilder builder, Action<WebApplicationBuilder> register)
    {
        WebApplication? app = null;
        try
        {
            register(builder);
            app = builder.Build();
            app.Services.GetService<IStartupValidator>()?.Validate();
            return app;
        }
        catch (Exception exception) when (Failures(exception) is { Count: > 0 } failures)
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            // A logger of its own: the application's may not exist (building it can read a setting that is invalid).
            using var logging = LoggerFactory.Create(logging => logging
                .AddConfiguration(builder.Configuration.GetSection("Logging"))
                .AddConsole());
            LogInvalid(logging.CreateLogger(typeof(StartupSettings).FullName!), builder.Environment.EnvironmentName, failures.Count, string.Join(" | ", failures));
            return null;
        }
    }

    /// <summary>Each failure once (a validator that reads other options repeats theirs), as its own message.</summary>
    private static List<string> Failures(Exception exception)
    {
        IEnumerable<string> failures = exception switch
        {
            OptionsValidationException options => options.Failures,
            AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
                aggregate.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures),
            _ => Unconvertible(exception) is { } key ? [key] : [],
        };
        return failures.Select(Unwrapped).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The configuration binder's "Failed to convert configuration value 'v' at 'Section:Key' to type 'T'." (thrown
    /// while options are created, or wrapped by whoever created them) as a message naming the key and the type, without
    /// the value: it may be a secret given to the wrong key.
    /// </summary>
    private static string? Unconvertible(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is InvalidOperationException && ConversionFailure().Match(current.Message) is { Success: true } match)
            {
                var key = match.Groups["key"].Value;
                return $"{key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) is not a valid {match.Groups["type"].Value}";
            }
        }

        return null;
    }

    [GeneratedRegex("^Failed to convert configuration value .* at '(?<key>[^']+)' to type '(?<type>[^']+)'\\.?$", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    /// <summary>"DataAnnotation validation failed for 'X' members: 'Y' with the error: 'message'." → "message".</summary>
    private static string Unwrapped(string failure)
    {
        const string marker = " with the error: '";
        var start = failure.IndexOf(marker, StringComparison.Ordinal);
        return start < 0 || !failure.EndsWith("'.", StringComparison.Ordinal)
            ? failure
            : failure[(start + marker.Length)..^2];
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The processor cannot start in the {Environment} environment: {Count} setting(s) missing or wrong: {Failures}. " +
        "Outside Development every setting must be given (README, \"Production deployment\").")]
    private static partial void LogInvalid(ILogger logger, string environment, int count, string failures);
}
