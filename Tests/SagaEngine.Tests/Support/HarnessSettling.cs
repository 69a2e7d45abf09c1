using MassTransit.Testing;

namespace SagaEngine.Tests.Support;

public static class HarnessSettling
{
    /// <summary>
    /// Waits until the bus has been quiet for a moment: nothing consumed, sent or published. The
    /// harness's own InactivityTask completes only once per harness, so it cannot be awaited again
    /// after the next message.
    /// </summary>
    public static async Task Settle(this ITestHarness harness)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var last = -1;
        var quietRounds = 0;
        while (quietRounds < 3)
        {
            var now = harness.Consumed.Select(_ => true).Count() + harness.Sent.Select(_ => true).Count()
                      + harness.Published.Select(_ => true).Count();
            quietRounds = now == last ? quietRounds + 1 : 0;
            last = now;
            Assert.True(DateTime.UtcNow < deadline, "The bus did not settle in time.");
            await Task.Delay(50);
        }
    }
}
