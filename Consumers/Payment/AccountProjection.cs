using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers.Payment;

/// <summary>The account rows as the inline projection of the customers' streams, for the event store to rebuild and check.</summary>
public sealed class AccountProjection(DbContext db, AccountRows rows) : IInlineProjection
{
    public const string ProjectionName = "accounts";

    public string Name => ProjectionName;

    public IStreamFold Fold => AccountFold.Instance;

    public async Task<IReadOnlyList<ProjectedRow>> ReadRows(CancellationToken cancellationToken)
    {
        var accounts = await db.Set<PaymentAccount>().AsNoTracking().ToListAsync(cancellationToken);
        var balances = (await db.Set<PaymentAccountBalance>().AsNoTracking().ToListAsync(cancellationToken))
            .ToLookup(b => b.CustomerId);
        return accounts.Select(a => new ProjectedRow(AccountFold.StreamId(a.CustomerId), a.Version,
                new AccountBalances(balances[a.CustomerId].Select(b => new CurrencyBalance(b.Currency, b.Charged, b.Refunded))
                    .OrderBy(b => b.Currency, StringComparer.Ordinal).ToList())))
            .ToList();
    }

    public async Task<long?> LockRow(string streamId, CancellationToken cancellationToken) =>
        await rows.LockAsIs(CustomerId(streamId), cancellationToken);

    public Task WriteRow(ProjectedRow row, CancellationToken cancellationToken) =>
        rows.Write(CustomerId(row.StreamId), (AccountBalances)row.State, checked((int)row.Version), cancellationToken);

    static string CustomerId(string streamId) =>
        StreamIds.TrySplit(streamId, out var category, out var customerId) && category == AccountFold.StreamCategory
            ? customerId
            : throw new ArgumentException($"'{streamId}' is not an account stream.", nameof(streamId));
}
