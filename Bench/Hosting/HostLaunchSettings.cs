using System.Globalization;
using SagaEngine.Bench.Options;
using SagaEngine.Bench.Orders;

namespace SagaEngine.Bench.Hosting;

/// <summary>
/// The settings a started host gets: only settings the host documents (<c>Urls</c>, <c>Database__*</c>,
/// <c>ConnectionStrings__SagaEngine</c> and <c>Inventory:InitialStock:*</c>) plus what the user added, so the
/// benchmark needs no knowledge of the host's insides.
/// </summary>
public static class HostLaunchSettings
{
    /// <summary>Replaced in a PostgreSQL connection string by a name unique to the run, so each run can get a fresh database.</summary>
    public const string RunPlaceholder = "{run}";

    public static IReadOnlyDictionary<string, string> For(BenchOptions options, int port, string dataDirectory, string runName)
    {
        var environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}"
        };
        if (options.Provider == DatabaseProvider.Postgres)
        {
            environment["Database__Provider"] = "Postgres";
            environment["ConnectionStrings__SagaEngine"] = options.ConnectionString!.Replace(RunPlaceholder, runName);
        }
        else
        {
            environment["Database__SqlitePath"] = Path.Combine(dataDirectory, "sagaengine.db");
        }
        foreach (var (key, value) in options.HostEnvironment)
            environment[key] = value;
        return environment;
    }

    /// <summary>
    /// The stock, on the command line: a SKU's name has a '-', which a shell drops from an environment
    /// variable's name on its way to the host.
    /// </summary>
    public static IReadOnlyList<string> Arguments(BenchOptions options) =>
        [.. BenchSkus.Stocked(options.Skus).Select(sku =>
            $"--Inventory:InitialStock:{sku}={BenchSkus.StockedQuantity.ToString(CultureInfo.InvariantCulture)}")];
}
