using System.Diagnostics;

namespace SagaEngine.Tests.Support;

/// <summary>
/// <c>dotnet SagaEngine.dll kafka-broker</c>: the embedded broker in a process of its own, so that host
/// processes can share it and die without taking the topics with them.
/// </summary>
public sealed class KafkaBrokerProcess : IAsyncDisposable
{
    readonly Process _process;

    KafkaBrokerProcess(Process process, string bootstrapServers)
    {
        _process = process;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    /// <summary>The settings a host needs to use this broker (it cannot tell on its own that it is the mock).</summary>
    public IEnumerable<(string Key, string Value)> HostSettings =>
    [
        ("Kafka:BootstrapServers", BootstrapServers),
        ("Kafka:FetchWaitMaxMs", "10"),
        ("Kafka:GroupProtocol", "Consumer")
    ];

    /// <summary>Starts it beside the host's appsettings.json, so it creates the topics of the configured topology.</summary>
    public static async Task<KafkaBrokerProcess> Start()
    {
        var dll = HostProcess.HostAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("kafka-broker");
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var address = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (string.IsNullOrWhiteSpace(address))
            throw new InvalidOperationException($"kafka-broker printed no address: {await process.StandardError.ReadToEndAsync()}");
        return new KafkaBrokerProcess(process, address.Trim());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
