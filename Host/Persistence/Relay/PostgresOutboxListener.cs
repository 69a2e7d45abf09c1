using Microsoft.Extensions.Options;
using Npgsql;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// On PostgreSQL, wakes the relay when any process commits outbox rows: a statement trigger on the
/// outbox table raises <c>NOTIFY</c>, which PostgreSQL delivers at commit. Polling stays the fall-back
/// while this connection is down.
/// </summary>
public class PostgresOutboxListener(
    ConfiguredDatabase database, OutboxSignal signal, IOptions<OutboxOptions> options, ILogger<PostgresOutboxListener> logger)
    : BackgroundService
{
    /// <summary>The channel the outbox trigger notifies (see the Postgres migration <c>OutboxNotifyTrigger</c>).</summary>
    public const string Channel = "outbox_messages";

    static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Provider != DatabaseProvider.Postgres || !options.Value.RelayEnabled)
            return;

        // A listening session must not go back to a pool, and a dead peer must be noticed: by TCP keepalives, which
        // the kernel sends, rather than Npgsql's own, which end each idle wait with a timeout exception (five
        // first-chance exceptions every 30 s of an otherwise exception-free host).
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false, TcpKeepAlive = true, TcpKeepAliveTime = 30, TcpKeepAliveInterval = 5
        }.ToString();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Listen(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening for outbox commits failed; polling until reconnected in {Delay}", ReconnectDelay);
                await Reconnect(stoppingToken);
            }
        }
    }

    async Task Listen(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, _) => signal.Notify();
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);

        // Whatever committed while nobody listened is found by the round this starts.
        signal.Notify();
        while (true)
            await connection.WaitAsync(stoppingToken);
    }

    static async Task Reconnect(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(ReconnectDelay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
