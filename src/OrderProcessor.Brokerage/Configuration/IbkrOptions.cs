namespace OrderProcessor.Brokerage.Configuration;

/// <summary>Where the IBKR Web API lives and how brokerage sessions are opened.</summary>
public sealed class IbkrOptions
{
    /// <summary>Base of the IBKR Web API including "/v1/api", e.g. http://127.0.0.1:5280/v1/api.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Send <c>compete:true</c> on ssodh/init, taking the session from other platforms of the same username.</summary>
    public bool Compete { get; set; }
}
