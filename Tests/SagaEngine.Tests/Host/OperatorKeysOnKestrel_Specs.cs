using System.Net;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Host;

/// <summary>
/// Operator keys on the built host in a process of its own, listening on real TCP: keys from the
/// environment (<c>Security__OperatorKeys__0__Key</c>), and a loopback client told apart by its address.
/// </summary>
public class OperatorKeysOnKestrel_Specs
{
    const string Key = "ops-key-from-the-environment-42";

    [Fact]
    public async Task Should_read_operator_keys_from_the_environment()
    {
        await using var database = new TestDatabase(DatabaseProvider.Sqlite);
        await using var host = await HostProcess.Start(new Dictionary<string, string?>(database.Settings)
        {
            ["Security:OperatorKeys:0:Name"] = "ops",
            ["Security:OperatorKeys:0:Key"] = Key
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(Replay(null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.SendAsync(Replay(Key + "-not"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.SendAsync(Replay(Key))).StatusCode);
        Assert.DoesNotContain(Key, host.Output);
    }

    [Fact]
    public async Task Should_let_a_client_on_127_0_0_1_act_without_a_key_when_none_is_configured_and_warn_at_start_up()
    {
        await using var database = new TestDatabase(DatabaseProvider.Sqlite);
        await using var host = await HostProcess.Start(database.Settings);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.SendAsync(Replay(null))).StatusCode);
        Assert.Contains("No operator keys are configured (Security:OperatorKeys): operator actions are allowed only from loopback clients",
            host.Output);
    }

    static HttpRequestMessage Replay(string? key) => new HttpRequestMessage(HttpMethod.Post, "/dead-letters/999999/replay").WithKey(key);
}
