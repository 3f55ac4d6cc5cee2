namespace OrderProcessor.Host;

/// <summary>
/// Where the processor listens when nothing says: <c>ASPNETCORE_URLS</c>, <c>--urls</c>, <c>Urls</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c> or a <c>Kestrel:Endpoints</c> section decide everywhere. Only in
/// Development, with none of them given, the developer's address is used; it is set here rather than in
/// appsettings.Development.json because a <c>Urls</c> there would beat <c>ASPNETCORE_URLS</c>.
/// </summary>
internal static class DevelopmentListenAddress
{
    public const string Address = "http://127.0.0.1:5180";

    public static void UseDevelopmentListenAddress(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var decided = !string.IsNullOrWhiteSpace(configuration["urls"]) ||
            !string.IsNullOrWhiteSpace(configuration["http_ports"]) ||
            !string.IsNullOrWhiteSpace(configuration["https_ports"]) ||
            configuration.GetSection("Kestrel:Endpoints").Exists();
        if (builder.Environment.IsDevelopment() && !decided)
        {
            builder.WebHost.UseUrls(Address);
        }
    }
}
