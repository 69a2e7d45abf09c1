using System.ComponentModel.DataAnnotations;
using Confluent.Kafka;
using MassTransit;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Validation;

namespace SagaEngine.Tests.Kafka;

/// <summary>Which failed records are dead-lettered now, and which are read again later.</summary>
public class FailureClassification_Specs
{
    static readonly FailureClassification Defaults = new(FailureClassification.DefaultPermanentExceptions);

    [Fact]
    public void Should_dead_letter_an_unreadable_record_at_its_first_attempt()
    {
        Assert.Equal(DeadLetterFault.Unreadable, Defaults.Classify(Failed(RecordFailure.Unreadable, null, attempt: 1), maxDeliveryAttempts: 5));
    }

    [Theory]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(ArgumentNullException))]
    [InlineData(typeof(FormatException))]
    [InlineData(typeof(ValidationException))]
    public void Should_dead_letter_a_permanent_exception_at_once_even_wrapped(Type exceptionType)
    {
        var exception = (Exception)Activator.CreateInstance(exceptionType)!;
        var wrapped = new AggregateException(new ConsumerException("wrapped", exception));

        Assert.Equal(DeadLetterFault.Permanent, Defaults.Classify(Failed(RecordFailure.ProcessingFailed, wrapped, attempt: 1), 5));
    }

    [Fact]
    public void Should_dead_letter_an_invalid_message_at_once_as_invalid_even_wrapped_and_even_listed_as_permanent()
    {
        var invalid = new InvalidMessageException("Ping", new Dictionary<string, string[]> { ["id"] = ["Required."] });
        var wrapped = new AggregateException(new ConsumerException("wrapped", invalid));
        var listed = new FailureClassification([typeof(InvalidMessageException).FullName!]);

        Assert.Equal(DeadLetterFault.Invalid, Defaults.Classify(Failed(RecordFailure.ProcessingFailed, wrapped, attempt: 1), 5));
        Assert.Equal(DeadLetterFault.Invalid, listed.Classify(Failed(RecordFailure.ProcessingFailed, invalid, attempt: 1), 5));
        Assert.Equal("invalid", DeadLetterFault.Invalid.Name());
    }

    [Fact]
    public void Should_read_a_transient_failure_again_until_the_last_attempt()
    {
        var timeout = new TimeoutException();

        Assert.Equal([null, null, DeadLetterFault.AttemptsExhausted, DeadLetterFault.AttemptsExhausted],
            new[] { 1, 2, 3, 4 }.Select(a => Defaults.Classify(Failed(RecordFailure.ProcessingFailed, timeout, a), maxDeliveryAttempts: 3)));
    }

    [Fact]
    public void Should_use_the_configured_exception_types_instead_of_the_defaults()
    {
        var configured = new FailureClassification(["System.TimeoutException"]);

        Assert.True(configured.IsPermanent(new TimeoutException()));
        Assert.False(configured.IsPermanent(new ArgumentException()));
    }

    static FailedRecord Failed(RecordFailure failure, Exception? exception, int attempt) =>
        new("pings", "group", new ConsumeResult<string, byte[]> { Topic = "t", Partition = 0, Offset = 0, Message = new Message<string, byte[]>() },
            failure, "reason", exception, attempt);
}
