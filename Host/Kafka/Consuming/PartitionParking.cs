using Confluent.Kafka;
using SagaEngine.Host.Kafka.Parking;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// One partition's parked keys, for its worker. A record that fails is parked with its key instead of
/// holding up the partition, and every later record of that key is parked behind it as it arrives, in
/// offset order; the partition goes on with the other keys. Beside the live records, <see cref="Run"/>
/// tries each parked key again from its first record, with back-off, until that record is done (the next
/// one follows at once) or dead-lettered (the key is then held until an operator releases it). The set of
/// parked keys is kept here too, so that a live record finds out whether its key is parked without a query.
/// </summary>
sealed class PartitionParking(
    ParkingPartition partition,
    string endpoint,
    IKeyParkingStore store,
    ParkedKeySignal released,
    Func<int, TimeSpan> backoff,
    TimeProvider clock,
    ILogger logger)
{
    /// <summary>
    /// How often the owner looks again while keys are parked: for keys an operator released in another
    /// process (this one's releases wake it at once), and after a failure of the store.
    /// </summary>
    static readonly TimeSpan LookAgain = TimeSpan.FromSeconds(1);

    readonly HashSet<string> _keys = [];

    /// <summary>Whether a key is parked changes only under this gate: a live record parked behind a key and the key's last record leaving cannot cross.</summary>
    readonly SemaphoreSlim _gate = new(1, 1);

    TaskCompletionSource _parked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Reads the partition's parked keys; until it has, no live record of the partition may be processed.</summary>
    /// <returns>False when stopped first.</returns>
    public async Task<bool> Load(CancellationToken stopping)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                var keys = await store.Keys(partition, stopping);
                _keys.UnionWith(keys.Select(k => k.Key));
                if (_keys.Count > 0)
                    logger.LogInformation("Kafka endpoint {Endpoint} has {Count} parked keys on {Partition}", endpoint, _keys.Count, partition);
                return true;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Kafka endpoint {Endpoint} could not read the parked keys of {Partition}; its records wait", endpoint, partition);
                if (!await Delay(backoff(failures), stopping))
                    return false;
            }
        }
    }

    /// <summary>Parks the record behind its key when the key is parked.</summary>
    /// <returns>True when parked; false when its key is not parked, so the record is to be processed.</returns>
    public async Task<bool> ParkIfKeyParked(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        if (!Parkable(record))
            return false;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_keys.Contains(record.Message.Key))
                return false;
            await store.Append(partition, record, cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether a record can be parked: one without a key has no key to set aside.</summary>
    public static bool Parkable(ConsumeResult<string, byte[]> record) => !string.IsNullOrEmpty(record.Message.Key);

    /// <summary>
    /// Parks the key of a record that failed its first delivery: the record is tried again after a back-off,
    /// and its key's later records wait behind it.
    /// </summary>
    public Task Park(ConsumeResult<string, byte[]> record, int attempts, string error, CancellationToken cancellationToken) =>
        Add(record, attempts, clock.GetUtcNow().UtcDateTime + backoff(attempts - 1), error, cancellationToken);

    /// <summary>Holds the key of a record dead-lettered at its first delivery: its later records wait until an operator releases it.</summary>
    public Task Hold(ConsumeResult<string, byte[]> record, int attempts, string error, CancellationToken cancellationToken) =>
        Add(record, attempts, null, error, cancellationToken);

    async Task Add(ConsumeResult<string, byte[]> record, int attempts, DateTime? retryAt, string error, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await store.Park(partition, endpoint, record, attempts, retryAt, error, cancellationToken);
            _keys.Add(record.Message.Key);
        }
        finally
        {
            _gate.Release();
        }
        logger.LogWarning(
            "Kafka endpoint {Endpoint} parked key {Key} of {Partition} at offset {Offset} ({State}); its later records wait behind it: {Error}",
            endpoint, record.Message.Key, partition, record.Offset.Value, retryAt is null ? "held for an operator" : $"tried again at {retryAt:O}", error);
        Volatile.Read(ref _parked).TrySetResult();
    }

    /// <summary>Tries the parked keys again as they fall due, until stopped.</summary>
    /// <param name="process">Processes one record at the given attempt, as the live records are.</param>
    /// <param name="stopping">Stops between records.</param>
    /// <param name="aborting">Cancels the record in hand.</param>
    public async Task Run(Func<ConsumeResult<string, byte[]>, int, Task<RecordResult>> process, CancellationToken stopping,
        CancellationToken aborting)
    {
        while (!stopping.IsCancellationRequested)
        {
            var wait = LookAgain;
            try
            {
                wait = await RetryDueKeys(process, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested || aborting.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Kafka endpoint {Endpoint} could not try the parked keys of {Partition} again; it looks again in {Wait}",
                    endpoint, partition, LookAgain);
            }
            await WaitForWork(wait, stopping);
        }
    }

    /// <returns>How long until the next look.</returns>
    async Task<TimeSpan> RetryDueKeys(Func<ConsumeResult<string, byte[]>, int, Task<RecordResult>> process, CancellationToken stopping)
    {
        if (_keys.Count == 0)
            return Timeout.InfiniteTimeSpan;

        var keys = await store.Keys(partition, stopping);
        foreach (var key in keys.Where(k => k.RetryAt <= clock.GetUtcNow().UtcDateTime).OrderBy(k => k.RetryAt))
        {
            if (stopping.IsCancellationRequested)
                break;
            if (_keys.Contains(key.Key))
                await Drain(key.Key, key.Attempts, process, stopping);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var next = keys.Where(k => k.RetryAt > now).Select(k => k.RetryAt!.Value).DefaultIfEmpty(DateTime.MaxValue).Min();
        return next - now < LookAgain ? next - now : LookAgain;
    }

    /// <summary>Processes the key's parked records in order until one fails again, or none is left and the key is let go.</summary>
    async Task Drain(string key, int attempts, Func<ConsumeResult<string, byte[]>, int, Task<RecordResult>> process, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            if (await store.First(partition, key, stopping) is not { } record)
            {
                if (await Unpark(key, stopping))
                    return;
                // A record of the key was parked meanwhile: go on with it.
                continue;
            }

            var result = await process(record, attempts + 1);
            switch (result.Outcome)
            {
                // Written whatever the worker is doing: the record was processed, and that must not be lost.
                case RecordResultKind.Done:
                    await store.Done(partition, key, record.Offset.Value, CancellationToken.None);
                    attempts = 0;
                    break;
                case RecordResultKind.KeyHeld:
                    await store.DeadLettered(partition, key, record.Offset.Value, attempts + 1, result.Error!, CancellationToken.None);
                    logger.LogWarning("Kafka endpoint {Endpoint} holds key {Key} of {Partition} behind its dead-lettered record at offset {Offset}",
                        endpoint, key, partition, record.Offset.Value);
                    return;
                default:
                    var retryAt = clock.GetUtcNow().UtcDateTime + backoff(attempts);
                    await store.Failed(partition, key, attempts + 1, retryAt, result.Error!, CancellationToken.None);
                    return;
            }
        }
    }

    async Task<bool> Unpark(string key, CancellationToken stopping)
    {
        await _gate.WaitAsync(stopping);
        try
        {
            if (!await store.Unpark(partition, key, stopping))
                return false;
            _keys.Remove(key);
        }
        finally
        {
            _gate.Release();
        }
        logger.LogInformation("Kafka endpoint {Endpoint} let go of key {Key} of {Partition}: none of its records is parked any more",
            endpoint, key, partition);
        return true;
    }

    /// <summary>Until the wait is over, this partition parks a key, an operator releases one, or the worker stops.</summary>
    async Task WaitForWork(TimeSpan wait, CancellationToken stopping)
    {
        var parked = Volatile.Read(ref _parked).Task;
        if (parked.IsCompleted)
        {
            Interlocked.Exchange(ref _parked, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            return;
        }
        await Task.WhenAny(parked, released.Next, Task.Delay(wait, stopping));
    }

    static async Task<bool> Delay(TimeSpan wait, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(wait, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
