using OrderProcessor.ImageHealth;
using OrderProcessor.Simulator;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args, "/");
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSimulator(builder.Configuration);

var app = builder.Build();
app.UseSimulator();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to in-process tests.</summary>
public partial class Program;
