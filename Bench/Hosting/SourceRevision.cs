using System.Diagnostics;

namespace SagaEngine.Bench.Hosting;

/// <summary>The commit the started host was built from, so a figure can be traced to the code it measured.</summary>
public static class SourceRevision
{
    /// <summary>The short commit id, with "+changes" when the work tree differs from it; null without git.</summary>
    public static string? Of(string repositoryRoot)
    {
        var commit = Git(repositoryRoot, "rev-parse", "--short", "HEAD");
        if (string.IsNullOrWhiteSpace(commit))
            return null;
        var changes = Git(repositoryRoot, "status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrWhiteSpace(changes) ? commit.Trim() : $"{commit.Trim()}+changes";
    }

    static string? Git(string directory, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            using var git = Process.Start(start);
            if (git is null)
                return null;
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed
        }
    }
}
