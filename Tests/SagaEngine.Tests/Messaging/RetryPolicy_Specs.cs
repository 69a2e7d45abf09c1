using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Messaging.Retry;
using SagaEngine.Host.Validation;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Messaging;

public record Poke(Guid Id);

/// <summary>What the consumer throws, and how often it was called.</summary>
public sealed class FaultScript(Func<Exception> fault)
{
    int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public Exception Next()
    {
        Interlocked.Increment(ref _attempts);
        return fault();
    }
}

public class FailingConsumer(FaultScript script) : IConsumer<Poke>
{
    public Task Consume(ConsumeContext<Poke> context) => Task.FromException(script.Next());
}

/// <summary>The engine's retry policy in a real receive pipeline: how many attempts each kind of fault gets.</summary>
public class RetryPolicy_Specs
{
    [Theory]
    // A concurrency conflict: 2 immediate retries, then 1 after a back-off: 1 + 2 + 1.
    [InlineData("conflict", 4)]
    // A transient fault: only the back-off retries, 1 + 1.
    [InlineData("transient", 2)]
    // A permanent fault, or any other: once, no retry.
    [InlineData("permanent", 1)]
    [InlineData("other", 1)]
    // A message that breaks its rules: once, though the endpoint below even calls it transient.
    [InlineData("invalid", 1)]
    public async Task Should_give_each_kind_of_fault_its_own_number_of_attempts(string fault, int attempts)
    {
        var script = new FaultScript(fault switch
        {
            "conflict" => () => new DbUpdateConcurrencyException("stale version"),
            "transient" => () => new TimeoutException("database away"),
            "permanent" => () => new ArgumentException("not a valid message"),
            "invalid" => () => new InvalidMessageException(nameof(Poke), new Dictionary<string, string[]> { ["id"] = ["Required."] }),
            _ => () => new InvalidOperationException("a bug")
        });
        await using var provider = new ServiceCollection()
            .AddSingleton(script)
            .Configure<RetryOptions>(o => o.Endpoints["pokes"] = new RetryPolicyOptions
            {
                ConcurrencyRetries = 2, TransientRetries = 1, TransientMinBackoff = TimeSpan.FromMilliseconds(10),
                TransientMaxBackoff = TimeSpan.FromMilliseconds(20)
            })
            .AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<FailingConsumer>();
                x.UsingInMemory((context, bus) => bus.ReceiveEndpoint("pokes", e =>
                {
                    e.UseEngineRetry(context, "pokes", typeof(InvalidMessageException));
                    e.ConfigureConsumer<FailingConsumer>(context);
                }));
            })
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            await (await harness.Bus.GetSendEndpoint(new Uri("queue:pokes"))).Send(new Poke(Guid.NewGuid()));

            Assert.True(await harness.Published.Any<Fault<Poke>>());
            await harness.Settle();
            Assert.Equal(attempts, script.Attempts);
        }
        finally
        {
            await harness.Stop();
        }
    }

    [Fact]
    public void Should_take_an_endpoints_own_values_over_the_defaults_over_the_built_in_ones()
    {
        var options = new RetryOptions
        {
            Default = new RetryPolicyOptions { TransientRetries = 7 },
            Endpoints = { ["payment"] = new RetryPolicyOptions { TransientRetries = 3, ConcurrencyRetries = 0 } }
        };

        Assert.Equal((0, 3), (RetryPolicy.For("payment", options).ConcurrencyRetries, RetryPolicy.For("payment", options).TransientRetries));
        Assert.Equal((RetryPolicy.BuiltIn.ConcurrencyRetries, 7),
            (RetryPolicy.For("inventory", options).ConcurrencyRetries, RetryPolicy.For("inventory", options).TransientRetries));
    }

    [Fact]
    public void Should_double_the_back_off_up_to_its_maximum()
    {
        var policy = new RetryPolicy(0, 5, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));

        Assert.Equal([10, 20, 40, 50, 50], policy.Backoffs().Select(b => b.TotalMilliseconds));
    }

    [Fact]
    public void Should_name_a_bad_setting()
    {
        var result = new RetryOptionsValidator().Validate(null, new RetryOptions
        {
            Endpoints = { ["payment"] = new RetryPolicyOptions { TransientRetries = -1 } }
        });

        Assert.True(result.Failed);
        Assert.Contains("Retry:Endpoints:payment:TransientRetries", result.FailureMessage);
    }
}
