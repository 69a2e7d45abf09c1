using System.Diagnostics;

namespace SagaEngine.Bench.Hosting;

/// <summary>Builds the host in Release, so that the benchmark measures what would be shipped rather than a Debug build.</summary>
public static class HostBuild
{
    public const string Configuration = "Release";

    /// <summary>Where <c>dotnet build -c Release</c> puts the host's entry point.</summary>
    public static string EntryPoint(string repositoryRoot) =>
        Path.Combine(repositoryRoot, "bin", Configuration, "net10.0", "SagaEngine.dll");

    public static async Task RunAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        foreach (var argument in new[] { "build", "-c", Configuration, RepositoryRoot.HostProject, "-nologo", "-v", "quiet" })
            start.ArgumentList.Add(argument);

        using var build = Process.Start(start) ?? throw new BenchSetupException("Could not start 'dotnet build'.");
        var output = build.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = build.StandardError.ReadToEndAsync(cancellationToken);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0)
            throw new BenchSetupException(
                $"'dotnet build -c {Configuration} {RepositoryRoot.HostProject}' failed ({build.ExitCode}):\n{Tail(await output + await errors)}");
    }

    static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));
}
