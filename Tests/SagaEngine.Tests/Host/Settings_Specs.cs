using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Host;

public class A_bad_setting
{
    [Theory]
    [InlineData("Payment:MaxAmount", "-5")]
    [InlineData("Payment:MaxAmount", "lots")]
    [InlineData("Inventory:InitialStock:SKU-BAD", "-1")]
    public async Task Should_stop_start_up_naming_the_setting(string key, string value)
    {
        await using var host = new SagaEngineFactory().With(key, value);

        var error = Record.Exception(() => host.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(key, Flatten(error));
    }

    internal static string Flatten(Exception e) => e is AggregateException a
        ? string.Join(" | ", a.InnerExceptions.Select(Flatten))
        : e.Message + (e.InnerException is null ? "" : " | " + Flatten(e.InnerException));
}
