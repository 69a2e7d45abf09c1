using System.Runtime.InteropServices;

namespace SagaEngine.Bench.Hosting;

/// <summary>
/// SIGTERM for a child process: .NET's Process.Kill sends SIGKILL, which gives the host no chance to
/// shut down the way a container runtime would ask it to.
/// </summary>
static class PosixSignals
{
    const int SigTerm = 15;

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    static extern int Kill(int pid, int signal);

    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;
}
