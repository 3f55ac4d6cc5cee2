using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>Why an order is held (OrderHeld).</summary>
[JsonConverter(typeof(LenientEnumConverter<HoldCause>))]
public enum HoldCause
{
    /// <summary>IBKR's region is in a scheduled maintenance window (nightly restart or weekend maintenance).</summary>
    ScheduledMaintenance,

    /// <summary>IBKR answered as unavailable outside a scheduled window (an outage was detected).</summary>
    IbkrUnavailable,
}
