using SagaEngine.Bench.Options;
using SagaEngine.Bench.Reporting;

namespace SagaEngine.Bench;

/// <summary>The benchmark command. Not a top-level program: the tests reference this project and the host's <c>Program</c> at once.</summary>
public static class BenchProgram
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int BadCommandLine = 2;
    public const int SetupFailed = 3;

    public static async Task<int> Main(string[] args)
    {
        var report = new ReportWriter(Console.Out, Console.Error);
        BenchOptions options;
        try
        {
            options = OptionsParser.Parse(args);
        }
        catch (OptionsException e)
        {
            report.Error(e.Message);
            return BadCommandLine;
        }
        if (options.ShowHelp)
        {
            report.Help(OptionsParser.Help);
            return Passed;
        }

        using var interrupted = new CancellationTokenSource();
        // Ctrl+C stops the run and still stops the host it started.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };

        try
        {
            var result = await new BenchmarkSession(options, report).RunAsync(interrupted.Token);
            if (options.JsonPath is { } path)
            {
                await JsonReport.WriteAsync(result, path, interrupted.Token);
                report.Report($"figures written to {path}");
            }
            return result.Passed ? Passed : Failed;
        }
        catch (BenchSetupException e)
        {
            report.Error(e.Message);
            return SetupFailed;
        }
        catch (HttpRequestException e)
        {
            report.Error($"the host stopped answering: {e.Message}");
            return SetupFailed;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            report.Error("interrupted");
            return Failed;
        }
    }
}
