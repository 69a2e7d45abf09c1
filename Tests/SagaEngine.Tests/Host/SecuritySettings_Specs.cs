using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Host;

public class A_bad_operator_key_setting
{
    const string Keys = "Security:OperatorKeys";
    const string SecretA = "secret-value-aaaaaaaa";

    public static TheoryData<string[], string, string?> Cases => new()
    {
        { [$"{Keys}:0:Name", "ops"], $"{Keys}:0:Key", null },
        { [$"{Keys}:0:Key", SecretA], $"{Keys}:0:Name", SecretA },
        { [$"{Keys}:0:Name", "  ", $"{Keys}:0:Key", SecretA], $"{Keys}:0:Name", SecretA },
        { [$"{Keys}:0:Name", "ops", $"{Keys}:0:Key", "short-secret"], $"{Keys}:0:Key must be 16-512 characters (was 12)", "short-secret" },
        { [$"{Keys}:0:Name", "ops", $"{Keys}:0:Key", "secret with spaces!!"], $"{Keys}:0:Key must be printable ASCII", "secret with spaces!!" },
        { [$"{Keys}:0:Name", "ops", $"{Keys}:0:Key", SecretA, $"{Keys}:1:Name", "OPS", $"{Keys}:1:Key", "secret-value-bbbbbbbb"], $"{Keys}:1:Name", SecretA },
        { [$"{Keys}:0:Name", "ops", $"{Keys}:0:Key", SecretA, $"{Keys}:1:Name", "dev", $"{Keys}:1:Key", SecretA], $"{Keys}:1:Key", SecretA },
        { ["Security:RequireKeyForReads", "maybe"], "Security:RequireKeyForReads", null }
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_stop_start_up_naming_the_setting_and_never_the_key(string[] settings, string named, string? secret)
    {
        await using var host = new SagaEngineFactory();
        for (var i = 0; i < settings.Length; i += 2)
            host.With(settings[i], settings[i + 1]);

        var error = Record.Exception(() => host.CreateClient());

        Assert.NotNull(error);
        var message = A_bad_setting.Flatten(error);
        Assert.Contains(named, message);
        if (secret is not null)
            Assert.DoesNotContain(secret, message);
    }
}
