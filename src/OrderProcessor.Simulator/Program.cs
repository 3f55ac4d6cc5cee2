using OrderProcessor.Simulator;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSimulator(builder.Configuration);

var app = builder.Build();
app.UseSimulator();
await app.RunAsync();

/// <summary>Entry point, visible to in-process tests.</summary>
public partial class Program;
