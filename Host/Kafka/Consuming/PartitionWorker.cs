using System.Threading.Channels;
using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Processes one assigned partition's records one at a time, in offset order, and reports each
/// outcome to the consume loop, which alone talks to the Kafka consumer. Workers of different
/// partitions run concurrently, as many at once as the endpoint's processing slots allow.
/// </summary>
/// <remarks>
/// Where the endpoint parks keys (<see cref="PartitionParking"/>), a record that fails is parked with its
/// key, and so is every later record of that key, so the partition goes on with the other keys while
/// the failing one is tried again beside them. A record counts as done with once it is processed,
/// dead-lettered or parked, never before: only then may its offset be stored. Where parking is not
/// possible (no parking, no key, or the store failed) a failed record holds up its partition, which the
/// consume loop rewinds to it after a back-off.
/// </remarks>
sealed class PartitionWorker
{
    readonly Channel<QueuedRecord> _queue = Channel.CreateUnbounded<QueuedRecord>(new UnboundedChannelOptions
    {
        SingleReader = true, SingleWriter = true
    });

    readonly RecordProcessor _processor;
    readonly SemaphoreSlim _slots;
    readonly EndpointCounters _counters;
    readonly Action<RecordCompletion> _report;
    readonly ILogger _logger;
    readonly PartitionParking? _parking;
    readonly CancellationTokenSource _abort = new();
    readonly CancellationTokenSource _stop = new();
    readonly Task _running;
    volatile bool _stopping;

    // Touched only by the worker's own loop.
    int _haltedGeneration = -1;
    long _failingOffset = -1;
    int _failedAttempts;

    public PartitionWorker(TopicPartition partition, RecordProcessor processor, SemaphoreSlim slots, EndpointCounters counters,
        Action<RecordCompletion> report, ILogger logger, PartitionParking? parking = null)
    {
        Partition = partition;
        _processor = processor;
        _slots = slots;
        _counters = counters;
        _report = report;
        _logger = logger;
        _parking = parking;
        _running = Task.Run(Run);
    }

    public TopicPartition Partition { get; }

    /// <summary>
    /// Queues a record. The generation changes each time the consume loop rewinds the partition; once a
    /// record fails, the records queued behind it (same generation) are passed over: they will be read again.
    /// </summary>
    public void Enqueue(ConsumeResult<string, byte[]> record, int generation) => _queue.Writer.TryWrite(new QueuedRecord(record, generation));

    /// <summary>Finishes the record in hand, passes over the queued ones, and completes when it has.</summary>
    public Task Stop()
    {
        _stopping = true;
        _stop.Cancel();
        _queue.Writer.TryComplete();
        return _running;
    }

    /// <summary>As <see cref="Stop"/>, and cancels the record in hand: the partition already belongs to another consumer.</summary>
    public Task Abort()
    {
        _abort.Cancel();
        return Stop();
    }

    async Task Run()
    {
        // A live record must not overtake a parked one of its key: first learn which keys are parked.
        var parked = _parking is null || await _parking.Load(_stop.Token);
        var retrying = parked && _parking is not null
            ? _parking.Run((record, attempt) => ProcessInSlot(record, attempt), _stop.Token, _abort.Token)
            : Task.CompletedTask;

        await foreach (var item in _queue.Reader.ReadAllAsync())
            _report(new RecordCompletion(this, item.Record.Offset.Value, item.Generation, parked ? await Handle(item) : RecordOutcome.Dropped));

        await retrying;
    }

    async Task<RecordOutcome> Handle(QueuedRecord item)
    {
        if (_stopping || item.Generation == _haltedGeneration)
            return RecordOutcome.Dropped;

        var record = item.Record;
        var offset = record.Offset.Value;
        var attempt = offset == _failingOffset ? _failedAttempts + 1 : 1;
        try
        {
            if (_parking is not null && await _parking.ParkIfKeyParked(record, _abort.Token))
            {
                _counters.Parked();
                return Advanced();
            }

            var result = await ProcessInSlot(record, attempt);
            if (result.Outcome == RecordResultKind.Done)
                return Advanced();
            if (_parking is not null && PartitionParking.Parkable(record))
            {
                if (result.Outcome == RecordResultKind.KeyHeld)
                    await _parking.Hold(record, attempt, result.Error!, _abort.Token);
                else
                    await _parking.Park(record, attempt, result.Error!, _abort.Token);
                _counters.Parked();
                return Advanced();
            }
            // Dead-lettered, with nowhere to hold its key: the partition moves on as it always did.
            if (result.Outcome == RecordResultKind.KeyHeld)
                return Advanced();
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return RecordOutcome.Dropped;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Processing {Partition}@{Offset} failed unexpectedly; it is read again later", Partition, offset);
        }

        _failingOffset = offset;
        _failedAttempts = attempt;
        _haltedGeneration = item.Generation;
        return RecordOutcome.RetryLater;
    }

    RecordOutcome Advanced()
    {
        _failingOffset = -1;
        _failedAttempts = 0;
        return RecordOutcome.Advanced;
    }

    async Task<RecordResult> ProcessInSlot(ConsumeResult<string, byte[]> record, int attempt)
    {
        _counters.WaitingForSlot(1);
        try
        {
            await _slots.WaitAsync(_abort.Token);
        }
        finally
        {
            _counters.WaitingForSlot(-1);
        }

        _counters.InFlight(1);
        try
        {
            return await _processor.Process(record, attempt, _abort.Token);
        }
        finally
        {
            _counters.InFlight(-1);
            _slots.Release();
        }
    }

    readonly record struct QueuedRecord(ConsumeResult<string, byte[]> Record, int Generation);
}

enum RecordOutcome
{
    /// <summary>Done with (processed, dead-lettered or parked): its offset may be stored.</summary>
    Advanced,

    /// <summary>Failed: the partition must be rewound to it and read it again after a back-off.</summary>
    RetryLater,

    /// <summary>Not processed because the worker was stopping or the record is to be read again anyway.</summary>
    Dropped
}

readonly record struct RecordCompletion(PartitionWorker Worker, long Offset, int Generation, RecordOutcome Outcome);
