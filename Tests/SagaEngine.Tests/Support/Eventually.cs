namespace SagaEngine.Tests.Support;

/// <summary>Waits for something that happens asynchronously (a relay round, a consumer) without fixed sleeps.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 20)
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

    public static Task True(Func<Task<bool>> condition, string what, int seconds = 20) =>
        Get(condition, ok => ok, what, seconds);
}
