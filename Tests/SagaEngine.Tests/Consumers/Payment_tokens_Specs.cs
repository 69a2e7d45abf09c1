using SagaEngine.Consumers.Payment;
using SagaEngine.Contracts;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Consumers;

public class The_payment_simulators_slow_tokens
{
    static readonly Uri Payment = ServiceEndpoints.PaymentAddress;

    [Fact]
    public async Task Should_never_answer_tok_timeout_and_move_no_money()
    {
        await using var s = await ServicesHarness.Start();
        var id = Guid.NewGuid();

        await s.Send(Payment, new ChargePayment(id, 25m, "EUR", PaymentRules.TimeoutToken));

        Assert.Empty(await s.Ledger(id));
        Assert.Empty(s.Published<PaymentCharged>());
        Assert.Empty(s.Published<PaymentFailed>());
    }

    [Fact]
    public async Task Should_charge_tok_slow_at_once_and_answer_only_after_the_slow_delay()
    {
        await using var s = await ServicesHarness.Start();
        var id = Guid.NewGuid();

        await s.Send(Payment, new ChargePayment(id, 25m, "EUR", PaymentRules.SlowToken));
        var entry = Assert.Single(await s.Ledger(id));
        Assert.Equal(LedgerEntryKind.Charge, entry.Kind);

        // A scheduled publish is a delayed send to the message type's publish address, so the harness
        // sees it as sent at once, with the delay the transport (here: the outbox) must honour.
        // Payment:SlowDelay is 2 s in the harness.
        var answer = Assert.Single(s.Harness.Sent.Select<PaymentCharged>()).Context;
        Assert.Equal(new PaymentCharged(id, 25m, "EUR"), answer.Message);
        Assert.InRange(answer.Delay!.Value, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(2));
        Assert.Empty(s.Published<PaymentFailed>());
    }

    [Fact]
    public async Task Should_retry_tok_flaky_past_its_two_failures_to_one_charge()
    {
        await using var s = await ServicesHarness.Start();
        var id = Guid.NewGuid();

        await s.Send(Payment, new ChargePayment(id, 25m, "EUR", PaymentRules.FlakyToken));

        var entry = Assert.Single(await s.Ledger(id));
        Assert.Equal(LedgerEntryKind.Charge, entry.Kind);
        Assert.Equal([new PaymentCharged(id, 25m, "EUR")], s.Published<PaymentCharged>());
        Assert.Empty(s.Harness.Published.Select<MassTransit.Fault<ChargePayment>>());
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void A_flaky_charge_fails_its_first_two_attempts_only(int attempt, bool fails) =>
        Assert.Equal(fails, PaymentRules.FlakyAttemptFails(attempt));
}

public class Refunding_a_payment
{
    static readonly Uri Payment = ServiceEndpoints.PaymentAddress;

    [Fact]
    public async Task Should_record_one_refund_of_the_charge_however_often_it_is_asked()
    {
        await using var s = await ServicesHarness.Start();
        var id = Guid.NewGuid();
        await s.Send(Payment, new ChargePayment(id, 25m, "EUR", "tok_ok"));

        await s.Send(Payment, new RefundPayment(id, 25m, "EUR"));
        await s.Send(Payment, new RefundPayment(id, 25m, "EUR"));

        var ledger = (await s.Ledger(id)).OrderBy(e => e.RecordedAt).ToList();
        Assert.Equal([(LedgerEntryKind.Charge, 25m), (LedgerEntryKind.Refund, 25m)], ledger.Select(e => (e.Kind, e.Amount)));
        Assert.Equal(RefundReasons.LateCharge, ledger[1].Reason);
    }

    [Fact]
    public async Task Should_record_nothing_for_an_order_that_was_never_charged()
    {
        await using var s = await ServicesHarness.Start();
        var id = Guid.NewGuid();

        await s.Send(Payment, new RefundPayment(id, 25m, "EUR"));

        Assert.Empty(await s.Ledger(id));
    }

    [Fact]
    public async Task Should_leave_a_repeated_charge_command_answering_with_the_charge_after_a_refund()
    {
        await using var s = await ServicesHarness.Start();
        var id = Guid.NewGuid();
        await s.Send(Payment, new ChargePayment(id, 25m, "EUR", "tok_ok"));
        await s.Send(Payment, new RefundPayment(id, 25m, "EUR"));

        await s.Send(Payment, new ChargePayment(id, 25m, "EUR", "tok_ok"));

        Assert.Equal(2, (await s.Ledger(id)).Count);
        Assert.Equal(2, s.Published<PaymentCharged>().Count);
    }
}
