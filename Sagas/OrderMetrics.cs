using System.Diagnostics.Metrics;

namespace SagaEngine.Sagas;

/// <summary>What the order flow counts: orders started and ended (by reason), compensations that failed, transitions, and how long an order took.</summary>
public sealed class OrderMetrics
{
    public const string MeterName = "SagaEngine.Orders";

    readonly Counter<long> _submitted;
    readonly Counter<long> _confirmed;
    readonly Counter<long> _cancelled;
    readonly Counter<long> _compensationFailed;
    readonly Counter<long> _transitions;
    readonly Histogram<double> _submitToTerminal;

    public OrderMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _submitted = meter.CreateCounter<long>("sagaengine.orders.submitted", "{order}", "Orders whose saga started.");
        _confirmed = meter.CreateCounter<long>("sagaengine.orders.confirmed", "{order}", "Orders that ended Confirmed.");
        _cancelled = meter.CreateCounter<long>("sagaengine.orders.cancelled", "{order}", "Orders that ended Cancelled, by reason.");
        _compensationFailed = meter.CreateCounter<long>("sagaengine.orders.compensation_failed", "{order}",
            "Times an order's compensation was not confirmed after its retries, so that an operator must act, by reason.");
        _transitions = meter.CreateCounter<long>("sagaengine.saga.transitions", "{transition}", "Saga state changes, by from, to and event.");
        _submitToTerminal = meter.CreateHistogram<double>("sagaengine.orders.submit_to_terminal", "s",
            "Time from the API accepting an order to its terminal state.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    public void Transitioned(OrderState order, string from, string to, string @event, DateTime at)
    {
        _transitions.Add(1, new("from", from), new("to", to), new("event", @event));
        if (from == "Initial")
            _submitted.Add(1);
        if (to == "Confirmed")
            _confirmed.Add(1);
        // An order cancelled again (after its late charge was refunded, or an operator resolved it) ended once.
        else if (to == "Cancelled" && order.History.Count(t => t.To == "Cancelled") == 1)
            _cancelled.Add(1, new KeyValuePair<string, object?>("reason", order.FailureReason));
        else
        {
            if (to == "CompensationFailed")
                _compensationFailed.Add(1, new KeyValuePair<string, object?>("reason", order.FailureReason));
            return;
        }
        _submitToTerminal.Record((at - order.CreatedAt).TotalSeconds);
    }
}
