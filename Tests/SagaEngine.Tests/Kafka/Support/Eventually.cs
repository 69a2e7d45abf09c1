namespace SagaEngine.Tests.Kafka.Support;

/// <summary>Waits for a condition that other threads or processes make true, up to a deadline.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> until, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await read();
            if (until(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}; last value: {value}");
            await Task.Delay(Interval);
        }
    }

    public static Task<T> Get<T>(Func<T> read, Func<T, bool> until, string what, TimeSpan? timeout = null) =>
        Get(() => Task.FromResult(read()), until, what, timeout);

    public static Task True(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Get(condition, c => c, what, timeout);
}
