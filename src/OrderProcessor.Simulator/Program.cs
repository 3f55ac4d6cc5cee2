var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "OrderProcessor simulator");
await app.RunAsync();

/// <summary>Entry point, visible to in-process tests.</summary>
public partial class Program;
