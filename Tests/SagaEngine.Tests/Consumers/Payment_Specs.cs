using SagaEngine.Consumers.Payment;
using SagaEngine.Contracts;

namespace SagaEngine.Tests.Consumers;

public class Charging_a_payment
{
    static readonly Uri Payment = ServiceEndpoints.PaymentAddress;

    [Fact]
    public async Task Should_record_one_charge_however_often_the_command_arrives()
    {
        await using var s = await ServicesHarness.Start();
        var id = Guid.NewGuid();
        var command = new ChargePayment(id, 25m, "EUR", "tok_ok");

        await s.Send(Payment, command);
        await s.Send(Payment, command);
        var endpoint = await s.Harness.Bus.GetSendEndpoint(Payment);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => endpoint.Send(command)));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (s.Published<PaymentCharged>().Count < 7)
        {
            Assert.True(DateTime.UtcNow < deadline, "Not every charge command was answered.");
            await Task.Delay(20);
        }

        var entry = Assert.Single(await s.Ledger(id));
        Assert.Equal((LedgerEntryKind.Charge, 25m, "EUR"), (entry.Kind, entry.Amount, entry.Currency));
        Assert.All(s.Published<PaymentCharged>(), p => Assert.Equal(new PaymentCharged(id, 25m, "EUR"), p));
    }

    [Theory]
    [InlineData("tok_decline", 25, FailureReasons.PaymentDeclined)]
    [InlineData("tok_ok", 10_000.01, FailureReasons.AmountOverLimit)]
    public async Task Should_decline_and_move_no_money(string token, decimal amount, string reason)
    {
        await using var s = await ServicesHarness.Start();
        var id = Guid.NewGuid();

        await s.Send(Payment, new ChargePayment(id, amount, "EUR", token));
        await s.Send(Payment, new ChargePayment(id, amount, "EUR", token));

        var entry = Assert.Single(await s.Ledger(id));
        Assert.Equal((LedgerEntryKind.Decline, reason), (entry.Kind, entry.Reason));
        Assert.Equal([new PaymentFailed(id, reason), new PaymentFailed(id, reason)], s.Published<PaymentFailed>());
        Assert.Empty(s.Published<PaymentCharged>());
    }
}
