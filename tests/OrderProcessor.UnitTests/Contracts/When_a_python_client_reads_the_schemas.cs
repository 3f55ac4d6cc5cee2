using System.Diagnostics;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Contracts;

/// <summary>
/// The schemas are standard JSON Schema 2020-12 outside .NET too: <c>contracts/check.py</c> checks them against the
/// draft's metaschema with Python's <c>jsonschema</c> and judges the example commands as the file says. Where Python or
/// its <c>jsonschema</c> package is missing, the test says so and checks nothing.
/// </summary>
public sealed class When_a_python_client_reads_the_schemas(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_find_them_valid_and_judge_the_examples_as_documented()
    {
        var (probe, _) = await RunAsync("-c \"import jsonschema\"");
        if (probe is null or not 0)
        {
            output.WriteLine("python3 with the jsonschema package is not available here: nothing checked");
            return;
        }

        var (exit, text) = await RunAsync(Path.Combine(ContractFiles.Directory, "check.py"));
        output.WriteLine(text);
        Assert.True(exit == 0, text);
        Assert.Contains("0 otherwise than the file says", text, StringComparison.Ordinal);
    }

    private static async Task<(int? Exit, string Text)> RunAsync(string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("python3", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "python3 not found");
        }
    }
}
