using SagaEngine.Consumers.Payment;
using SagaEngine.Contracts;

namespace SagaEngine.Tests.Consumers;

public class PaymentRules_Specs
{
    [Theory]
    [InlineData("tok_ok", 25, null)]
    [InlineData("tok_visa", 10_000, null)]
    [InlineData("tok_ok", 10_000.01, FailureReasons.AmountOverLimit)]
    [InlineData("tok_decline", 1, FailureReasons.PaymentDeclined)]
    [InlineData("tok_decline", 50_000, FailureReasons.PaymentDeclined)]
    public void Should_answer_like_a_providers_test_tokens(string token, decimal amount, string? reason)
    {
        Assert.Equal(reason, PaymentRules.WhyDeclined(amount, token, maxAmount: 10_000m));
    }
}
