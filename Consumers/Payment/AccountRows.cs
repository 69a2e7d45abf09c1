using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace SagaEngine.Consumers.Payment;

/// <summary>
/// A customer's account rows are their stream's inline projection. <see cref="Lock"/> moves the account
/// to its next version (creating it for a new customer) and holds its row until the commit: the version
/// the caller then appends at, and the lock that keeps the customer's other payments from reading the
/// balances until this one has written them. Balances are read, added up here and written back, not
/// added in SQL: SQLite would add decimals as floating-point numbers.
/// </summary>
public sealed class AccountRows(DbContext db)
{
    /// <summary>
    /// Moves the account to its next version and locks it, and reads its balance in <paramref name="currency"/>,
    /// in one round trip; the caller's transaction must be open.
    /// </summary>
    public async Task<(int Version, CurrencyBalance Balance)> Lock(string customerId, string currency, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                              ?? throw new InvalidOperationException("An account is locked inside the caller's transaction.");
        command.CommandText = """
            INSERT INTO payment_accounts ("CustomerId", "Version") VALUES (@customer, 1)
            ON CONFLICT ("CustomerId") DO UPDATE SET "Version" = payment_accounts."Version" + 1
            RETURNING "Version";
            SELECT "Charged", "Refunded" FROM payment_account_balances WHERE "CustomerId" = @customer AND "Currency" = @currency;
            """;
        Add(command, "@customer", customerId);
        Add(command, "@currency", currency);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var version = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        var balance = await reader.ReadAsync(cancellationToken)
            ? new CurrencyBalance(currency, reader.GetDecimal(0), reader.GetDecimal(1))
            : new CurrencyBalance(currency, 0m, 0m);
        return (version, balance);
    }

    static void Add(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Locks the account without moving its version; null when the customer has none.</summary>
    public async Task<int?> LockAsIs(string customerId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQueryRaw<int>("""
            UPDATE payment_accounts SET "Version" = "Version" WHERE "CustomerId" = {0} RETURNING "Version" AS "Value"
            """, customerId).ToListAsync(cancellationToken)) is [var version] ? version : null;

    public async Task<AccountBalances> Balances(string customerId, CancellationToken cancellationToken) =>
        new((await db.Set<PaymentAccountBalance>().AsNoTracking().Where(b => b.CustomerId == customerId).ToListAsync(cancellationToken))
            .Select(b => new CurrencyBalance(b.Currency, b.Charged, b.Refunded))
            .OrderBy(b => b.Currency, StringComparer.Ordinal)
            .ToList());

    public Task WriteBalance(string customerId, CurrencyBalance balance, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""
            INSERT INTO payment_account_balances ("CustomerId", "Currency", "Charged", "Refunded") VALUES ({0}, {1}, {2}, {3})
            ON CONFLICT ("CustomerId", "Currency") DO UPDATE SET "Charged" = excluded."Charged", "Refunded" = excluded."Refunded"
            """, [customerId, balance.Currency, balance.Charged, balance.Refunded], cancellationToken);

    /// <summary>Sets the account to <paramref name="balances"/> at <paramref name="version"/> (a rebuild), creating it if it is missing.</summary>
    public async Task Write(string customerId, AccountBalances balances, int version, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO payment_accounts ("CustomerId", "Version") VALUES ({0}, {1})
            ON CONFLICT ("CustomerId") DO UPDATE SET "Version" = excluded."Version"
            """, [customerId, version], cancellationToken);
        await db.Set<PaymentAccountBalance>().Where(b => b.CustomerId == customerId).ExecuteDeleteAsync(cancellationToken);
        foreach (var balance in balances.Currencies)
            await WriteBalance(customerId, balance, cancellationToken);
    }
}
