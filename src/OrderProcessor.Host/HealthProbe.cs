namespace OrderProcessor.ImageHealth;

/// <summary>
/// <c>dotnet OrderProcessor.Host.dll --health-probe [path or URL]</c>: the images' HEALTHCHECK (the aspnet image has no
/// curl). It asks this container's own server, found as the server itself finds its address (<c>ASPNETCORE_URLS</c>, else
/// <c>ASPNETCORE_HTTP_PORTS</c>, else 8080 as in the aspnet image), over loopback, and exits 0 when the answer is 2xx.
/// Shared with the simulator's image (linked into its project).
/// </summary>
internal static class HealthProbe
{
    public const string Argument = "--health-probe";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Argument;

    public static async Task<int> RunAsync(string[] args, string defaultPath)
    {
        var target = Target(args.Length > 1 ? args[1] : defaultPath);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync(target);
            await Console.Out.WriteLineAsync($"{target}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await Console.Out.WriteLineAsync($"{target}: {exception.Message}");
            return 1;
        }
    }

    /// <summary>An absolute URL as given; a path is asked of the first http address the server listens on.</summary>
    public static Uri Target(string pathOrUrl)
    {
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute;
        }

        return new Uri(new Uri(ListenAddress()), pathOrUrl);
    }

    private static string ListenAddress()
    {
        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? Environment.GetEnvironmentVariable("URLS");
        var http = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (http is not null)
        {
            // A wildcard address (every interface) is reached on loopback.
            var rest = http["http://".Length..];
            var colon = rest.LastIndexOf(':');
            var port = colon >= 0 ? rest[(colon + 1)..].TrimEnd('/') : "80";
            var host = colon >= 0 ? rest[..colon] : rest.TrimEnd('/');
            host = host is "+" or "*" or "0.0.0.0" or "[::]" or "localhost" ? "127.0.0.1" : host;
            return $"http://{host}:{port}/";
        }

        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? Environment.GetEnvironmentVariable("HTTP_PORTS");
        var first = ports?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return $"http://127.0.0.1:{first ?? "8080"}/";
    }
}
