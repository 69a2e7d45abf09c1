using SagaEngine.EventStoreBench;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// The event store's benchmark in a small form: every phase runs and its temporal answers with and without
/// snapshots agree. No figure is asserted.
/// </summary>
public class EventStoreBench_Specs
{
    [Fact]
    public async Task Should_run_every_phase_and_find_its_answers_right()
    {
        var exit = await EventStoreBenchProgram.Main(
            ["--events", "3000", "--snapshot-every", "100", "--writers", "2", "--seconds", "1", "--as-of", "20", "--as-of-without", "3"]);

        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Should_refuse_a_bad_command_line()
    {
        Assert.Equal(2, await EventStoreBenchProgram.Main(["--events", "many"]));
    }
}
