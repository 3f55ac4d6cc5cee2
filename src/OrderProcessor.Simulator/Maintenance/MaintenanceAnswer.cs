namespace OrderProcessor.Simulator.Maintenance;

/// <summary>
/// What a trading or reading <c>/iserver</c> call gets while IBKR's back-end is in maintenance. IBKR does not say which:
/// the default is the OpenAPI document's <c>ServiceUnavailable</c>; the others let tests try what clients report.
/// </summary>
public enum MaintenanceAnswer
{
    /// <summary>503 <c>{"error":"Service Unavailable","statusCode":503}</c> (OpenAPI <c>components.responses.ServiceUnavailable</c>).</summary>
    ServiceUnavailable,

    /// <summary>401 with the ProblemDetail body, as if the session were gone.</summary>
    Unauthorized,

    /// <summary>400 <c>{"error":"no bridge","statusCode":400}</c>: no brokerage session behind the web layer.</summary>
    NoBridge,
}
