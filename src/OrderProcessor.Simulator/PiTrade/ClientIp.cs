namespace OrderProcessor.Simulator.PiTrade;

/// <summary>The IP a request comes from, as the simulator sees it.</summary>
public static class ClientIp
{
    /// <summary>
    /// X-Forwarded-For (first entry) when present, so a test can play several egress IPs;
    /// else the connection's address; a missing address (TestServer) and every loopback address count as 127.0.0.1
    /// (one machine's callers share one egress IP, as they would at IBKR).
    /// </summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        if (!string.IsNullOrWhiteSpace(forwarded))
            return forwarded.Split(',')[0].Trim();
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || System.Net.IPAddress.IsLoopback(remote))
            return "127.0.0.1";
        return (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
    }
}
