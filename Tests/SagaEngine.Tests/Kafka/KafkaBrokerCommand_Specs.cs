using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using SagaEngine.Tests.Kafka.Support;

using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

public class KafkaBrokerCommand_Specs
{
    [Fact]
    public async Task Should_print_an_address_another_process_can_produce_to_and_stop_on_sigterm()
    {
        using var process = StartHostProcess("kafka-broker", "--topics", "events,commands", "--partitions", "3");
        try
        {
            var address = await ReadLine(process);
            Assert.Matches(@"^127\.0\.0\.1:\d+$", address);

            Assert.Equal(3, PlainKafka.PartitionCount(address, "events"));
            Assert.Equal(3, PlainKafka.PartitionCount(address, "commands"));
            using (var producer = PlainKafka.Producer(address))
                await producer.ProduceAsync("events", new Message<string, byte[]> { Key = "k", Value = Encoding.UTF8.GetBytes("hello") });
            var records = PlainKafka.ReadAll(address, "events", 1);
            Assert.Equal("hello", Encoding.UTF8.GetString(records.Single().Message.Value));

            Assert.Equal(0, Kill(process.Id, Sigterm));
            await process.WaitForExitAsync(new CancellationTokenSource(Eventually.DefaultTimeout).Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    [Fact]
    public async Task Should_refuse_an_argument_it_does_not_understand()
    {
        using var process = StartHostProcess("kafka-broker", "--brokers", "none");
        await process.WaitForExitAsync(new CancellationTokenSource(Eventually.DefaultTimeout).Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--brokers", await process.StandardError.ReadToEndAsync());
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
    }

    /// <summary>The host as built next to the tests, run the way `dotnet run -- …` runs it.</summary>
    static Process StartHostProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No appsettings.json here: the command's defaults and arguments alone.
            WorkingDirectory = Directory.CreateTempSubdirectory("kafka-broker-").FullName
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SagaEngine.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    static async Task<string> ReadLine(Process process)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        return await process.StandardOutput.ReadLineAsync(timeout.Token)
               ?? throw new InvalidOperationException($"No output; stderr: {await process.StandardError.ReadToEndAsync()}");
    }

    const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
