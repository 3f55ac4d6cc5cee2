namespace OrderProcessor.Simulator.PiTrade;

/// <summary>The IP a request comes from, as the simulator sees it.</summary>
public static class ClientIp
{
    /// <summary>
    /// X-Forwarded-For (first entry) when present, so a test can play several egress IPs;
    /// else the connection's address; a missing address (TestServer) counts as 127.0.0.1.
    /// </summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        if (!string.IsNullOrWhiteSpace(forwarded))
            return forwarded.Split(',')[0].Trim();
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null)
            return "127.0.0.1";
        return (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
    }
}
