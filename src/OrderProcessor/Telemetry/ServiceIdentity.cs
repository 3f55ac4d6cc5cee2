using System.Reflection;

namespace OrderProcessor.Telemetry;

/// <summary>
/// The service name and version the processor's metrics and traces carry (<c>service.name</c>, <c>service.version</c>):
/// from the standard OpenTelemetry variables when they are set (<c>OTEL_SERVICE_NAME</c>, then <c>service.name</c> /
/// <c>service.version</c> in <c>OTEL_RESOURCE_ATTRIBUTES</c>), otherwise the processor assembly's name and
/// informational version. Read from configuration, which includes the environment variables.
/// </summary>
public sealed record ServiceIdentity(string Name, string Version)
{
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    public const string ResourceAttributesVariable = "OTEL_RESOURCE_ATTRIBUTES";

    public static ServiceIdentity From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var attributes = ParseResourceAttributes(configuration[ResourceAttributesVariable]);
        var assembly = typeof(ServiceIdentity).Assembly;
        var name = NonBlank(configuration[ServiceNameVariable]) ?? NonBlank(attributes.GetValueOrDefault("service.name"))
            ?? assembly.GetName().Name ?? "OrderProcessor";
        var version = NonBlank(attributes.GetValueOrDefault("service.version"))
            ?? assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        return new ServiceIdentity(name, version);
    }

    /// <summary>
    /// <c>key1=value1,key2=value2</c> as the OpenTelemetry specification writes it (values percent-encoded, blanks
    /// around keys and values ignored); a pair without <c>=</c> is skipped, as the SDK does.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseResourceAttributes(string? text)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            attributes[pair[..equals].Trim()] = Uri.UnescapeDataString(pair[(equals + 1)..].Trim());
        }

        return attributes;
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
