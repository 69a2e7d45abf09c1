namespace SagaEngine.Tests.Support;

/// <summary>Waits for something that other threads or processes make true (a relay round, a consumer), up to a deadline, without fixed sleeps.</summary>
public static class Eventually
{
    public const int DefaultSeconds = 20;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(DefaultSeconds);

    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = DefaultSeconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not within {seconds} s: {what}. Last seen: {value}");
            await Task.Delay(25);
        }
    }

    public static Task<T> Get<T>(Func<T> read, Func<T, bool> done, string what, int seconds = DefaultSeconds) =>
        Get(() => Task.FromResult(read()), done, what, seconds);

    public static Task True(Func<Task<bool>> condition, string what, int seconds = DefaultSeconds) =>
        Get(condition, ok => ok, what, seconds);

    public static Task True(Func<bool> condition, string what, int seconds = DefaultSeconds) =>
        Get(condition, ok => ok, what, seconds);
}
