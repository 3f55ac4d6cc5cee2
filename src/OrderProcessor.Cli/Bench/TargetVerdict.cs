using System.Text.Json.Serialization;

namespace OrderProcessor.Cli.Bench;

/// <summary>What a run says of one target: met, not met, or not measured (the phase it needs was skipped or failed).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TargetVerdict>))]
public enum TargetVerdict
{
    Met,
    NotMet,
    NotMeasured,
}
