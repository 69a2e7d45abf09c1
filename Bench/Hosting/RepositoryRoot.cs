namespace SagaEngine.Bench.Hosting;

/// <summary>Finds the folder holding the host's project, from wherever the benchmark was started.</summary>
public static class RepositoryRoot
{
    public const string HostProject = "SagaEngine.csproj";

    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, HostProject)))
                    return dir.FullName;
        throw new BenchSetupException(
            $"Cannot find {HostProject} above the current directory or the benchmark's own; run the benchmark from the repository.");
    }
}
