using System.Globalization;
using SagaEngine.Bench.Orders;

namespace SagaEngine.Bench.Options;

/// <summary>A command line the benchmark cannot run; the message names the option.</summary>
public sealed class OptionsException(string message) : Exception(message);

/// <summary>Reads the command line into <see cref="BenchOptions"/>, refusing anything it does not understand.</summary>
public static class OptionsParser
{
    public const string Help = """
        Usage: dotnet run -c Release --project Bench -- [options]

        Load (one of):
          --rate N                 offer N orders/s on a fixed schedule (open loop; default 200)
          --max                    offer as fast as the host completes them (closed loop)
          --concurrency N          with --max: orders in flight, accepted and not yet ended (default 64)

        Timing:
          --duration S             seconds of measured offering (default 20)
          --warmup S               seconds of warm-up offering before it, not measured (default 20; 0 for none); with
                                   --warmup-jit the least warm-up
          --warmup-jit N           after --warmup, keep warming up until the host JIT-compiles at most N methods/s in two
                                   steps in a row (its /metrics, read every 5 s), or --warmup-max; 0 for a fixed warm-up (default 10)
          --warmup-max S           longest warm-up with --warmup-jit (default 180)
          --drain-timeout S        seconds every order gets to end after the offering (default 60)
          --poll-interval MS       each order is followed with one long poll (GET /orders/{id}?waitForTerminal=20);
                                   the shortest time before asking again when that wait ran out (default 200)
          --runs N                 runs, each on a fresh host and database; the summary is their median (default 3)

        Orders:
          --mix KIND=W,...         weights of the deterministic order mix (default ok=80,decline=10,out-of-stock=5,unknown-sku=5)
                                   ok: Confirmed; decline: Cancelled payment-declined;
                                   out-of-stock / unknown-sku: Cancelled by inventory
          --skus N                 stocked SKUs (SKU-1 to SKU-N) that ok and decline orders take in turn (default 100,
                                   the peer's default, which --compare-peer passes on); a started host is stocked with
                                   them, a --host-url host must stock them (its defaults stock 3)

        Host:
          --provider sqlite|postgres   database of the started host (default sqlite, a fresh file per run)
          --postgres               start a throwaway PostgreSQL server (Debian's /usr/lib/postgresql/*/bin, default
                                   durability) for the session, each run's host on a database of its own;
                                   the same as --provider postgres with a connection string to that server
          --connection-string CS   with postgres: passed as ConnectionStrings__SagaEngine; "{run}" in it is
                                   replaced by a name unique to the run (e.g. Database=bench_{run})
          --host-env KEY=VALUE     extra environment for the started host (repeatable)
          --host-url URL           use this running host instead of starting one (it must be otherwise idle)
          --no-build               do not publish the host (Release, ReadyToRun, into bin/bench-host) first
          --startup-timeout S      seconds the started host gets to answer /health/ready (default 120)

        Comparison:
          --compare-peer           after our runs, run the Wolverine peer (shared/peers/wolverine-orders/run.sh: the same
                                   flow on Wolverine, the same mock broker, its own PostgreSQL) as many times at the same
                                   concurrency (or rate), warmed up with as many orders as our warm-ups had, and print
                                   both systems' figures side by side with their ratio
          --peer-dir DIR           the peer's folder (default: shared/peers/wolverine-orders above the repository)
          --peer-orders N          measured orders per peer run (default 3000)

        Output:
          --json FILE              also write the figures as JSON
          -h, --help               this text

        Exit code: 0 when every run was correct and drained, 1 when not, 2 for a bad command line,
        3 when the host could not be built, started or used.
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        var environment = new List<KeyValuePair<string, string>>();
        bool rateGiven = false, maxGiven = false, concurrencyGiven = false, providerGiven = false;

        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            string Value() => inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new OptionsException($"{name} needs a value."));

            switch (name)
            {
                case "-h" or "--help":
                    options = options with { ShowHelp = true };
                    break;
                case "--rate":
                    options = options with { Rate = PositiveNumber(name, Value()), Mode = LoadMode.FixedRate };
                    rateGiven = true;
                    break;
                case "--max":
                    NoValue(name, inlineValue);
                    options = options with { Mode = LoadMode.MaxThroughput };
                    maxGiven = true;
                    break;
                case "--concurrency":
                    options = options with { Concurrency = PositiveInteger(name, Value(), max: 10_000) };
                    concurrencyGiven = true;
                    break;
                case "--duration":
                    options = options with { Duration = Seconds(name, Value(), allowZero: false) };
                    break;
                case "--warmup":
                    options = options with { Warmup = Seconds(name, Value(), allowZero: true) };
                    break;
                case "--warmup-jit":
                    options = options with { WarmupJitPerSecond = NonNegativeNumber(name, Value()) is var jit && jit > 0 ? jit : null };
                    break;
                case "--warmup-max":
                    options = options with { WarmupMax = Seconds(name, Value(), allowZero: false) };
                    break;
                case "--drain-timeout":
                    options = options with { DrainTimeout = Seconds(name, Value(), allowZero: false) };
                    break;
                case "--poll-interval":
                    options = options with { PollInterval = TimeSpan.FromMilliseconds(PositiveInteger(name, Value(), max: 60_000)) };
                    break;
                case "--runs":
                    options = options with { Runs = PositiveInteger(name, Value(), max: 100) };
                    break;
                case "--mix":
                    options = options with { Mix = Mix(name, Value()) };
                    break;
                case "--skus":
                    options = options with { Skus = PositiveInteger(name, Value(), max: 10_000) };
                    break;
                case "--provider":
                    options = options with { Provider = Provider(name, Value()) };
                    providerGiven = true;
                    break;
                case "--postgres":
                    NoValue(name, inlineValue);
                    options = options with { StartsLocalPostgres = true, Provider = DatabaseProvider.Postgres };
                    break;
                case "--connection-string":
                    options = options with { ConnectionString = NotBlank(name, Value()) };
                    break;
                case "--host-env":
                    environment.Add(EnvironmentEntry(name, Value()));
                    break;
                case "--host-url":
                    options = options with { HostUrl = HttpUrl(name, Value()) };
                    break;
                case "--no-build":
                    NoValue(name, inlineValue);
                    options = options with { NoBuild = true };
                    break;
                case "--startup-timeout":
                    options = options with { StartupTimeout = Seconds(name, Value(), allowZero: false) };
                    break;
                case "--compare-peer":
                    NoValue(name, inlineValue);
                    options = options with { ComparePeer = true };
                    break;
                case "--peer-dir":
                    options = options with { PeerDirectory = NotBlank(name, Value()) };
                    break;
                case "--peer-orders":
                    options = options with { PeerOrders = PositiveInteger(name, Value(), max: 1_000_000) };
                    break;
                case "--json":
                    options = options with { JsonPath = NotBlank(name, Value()) };
                    break;
                default:
                    throw new OptionsException($"Unknown option '{args[i]}'. See --help.");
            }
        }

        options = options with { HostEnvironment = environment };
        if (options.ShowHelp)
            return options;
        CheckCombinations(options, rateGiven, maxGiven, concurrencyGiven, providerGiven);
        return options;
    }

    static void CheckCombinations(BenchOptions options, bool rateGiven, bool maxGiven, bool concurrencyGiven, bool providerGiven)
    {
        if (rateGiven && maxGiven)
            throw new OptionsException("--rate and --max exclude each other: a fixed rate, or as fast as possible.");
        if (options.WarmupJitPerSecond is not null && options.WarmupMax < options.Warmup)
            throw new OptionsException("--warmup-max must be at least --warmup: the warm-up lasts at least --warmup.");
        if (concurrencyGiven && !maxGiven)
            throw new OptionsException("--concurrency applies to --max only; --rate offers on a schedule whatever is in flight.");
        if ((options.PeerDirectory is not null || options.PeerOrders != new BenchOptions().PeerOrders) && !options.ComparePeer)
            throw new OptionsException("--peer-dir and --peer-orders apply to --compare-peer.");
        if (options.StartsLocalPostgres)
        {
            if (providerGiven)
                throw new OptionsException("--postgres chooses the provider itself; leave out --provider.");
            if (options.ConnectionString is not null)
                throw new OptionsException("--postgres starts its own server; --connection-string points at another one. Use one of them.");
            if (!options.StartsHost)
                throw new OptionsException("--postgres applies to a host the benchmark starts, not to --host-url.");
        }
        if (options.Provider == DatabaseProvider.Postgres && options.ConnectionString is null && options.StartsHost && !options.StartsLocalPostgres)
            throw new OptionsException("--provider postgres needs --connection-string (or use --postgres for a throwaway local server).");
        if (options.Provider == DatabaseProvider.Sqlite && options.ConnectionString is not null)
            throw new OptionsException("--connection-string applies to --provider postgres; sqlite uses a fresh file per run.");
        if (!options.StartsHost)
        {
            if (providerGiven || options.ConnectionString is not null)
                throw new OptionsException("--provider and --connection-string apply to a host the benchmark starts, not to --host-url.");
            if (options.HostEnvironment.Count > 0)
                throw new OptionsException("--host-env applies to a host the benchmark starts, not to --host-url.");
            if (options.NoBuild)
                throw new OptionsException("--no-build applies to a host the benchmark starts, not to --host-url.");
        }
    }

    /// <summary>Both "--rate 200" and "--rate=200".</summary>
    static (string Name, string? Value) Split(string argument)
    {
        var equals = argument.IndexOf('=');
        return argument.StartsWith("--", StringComparison.Ordinal) && equals > 2
            ? (argument[..equals], argument[(equals + 1)..])
            : (argument, null);
    }

    static void NoValue(string name, string? inlineValue)
    {
        if (inlineValue is not null)
            throw new OptionsException($"{name} takes no value.");
    }

    static double NonNegativeNumber(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new OptionsException($"{name} must be a number, 0 or more, not '{text}'.");

    static double PositiveNumber(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new OptionsException($"{name} must be a number above 0, not '{text}'.");

    static int PositiveInteger(string name, string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 && value <= max
            ? value
            : throw new OptionsException($"{name} must be a whole number from 1 to {max}, not '{text}'.");

    static TimeSpan Seconds(string name, string text, bool allowZero) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value) && (value > 0 || (allowZero && value == 0)) && value <= 86_400
            ? TimeSpan.FromSeconds(value)
            : throw new OptionsException($"{name} must be seconds, {(allowZero ? "0" : "above 0")} to 86400, not '{text}'.");

    static string NotBlank(string name, string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new OptionsException($"{name} must not be empty.") : text;

    static DatabaseProvider Provider(string name, string text) => text.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" => DatabaseProvider.Postgres,
        _ => throw new OptionsException($"{name} must be sqlite or postgres, not '{text}'.")
    };

    static Uri HttpUrl(string name, string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new OptionsException($"{name} must be an http(s) URL such as http://127.0.0.1:8080, not '{text}'.");

    static KeyValuePair<string, string> EnvironmentEntry(string name, string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0)
            throw new OptionsException($"{name} must be KEY=VALUE, not '{text}'.");
        var key = text[..equals];
        if (key is "Urls" || key.StartsWith("Database__", StringComparison.Ordinal) || key == "ConnectionStrings__SagaEngine")
            throw new OptionsException($"{name} cannot set {key}: the benchmark sets it for each run (see --provider).");
        return new(key, text[(equals + 1)..]);
    }

    static OrderMix Mix(string name, string text)
    {
        var weights = new Dictionary<OrderKind, int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            var kindName = equals > 0 ? part[..equals] : part;
            var kind = OrderKindNames.All.FirstOrDefault(k => k.Name == kindName);
            if (kind.Name is null)
                throw new OptionsException(
                    $"{name}: unknown order kind '{kindName}'; one of {string.Join(", ", OrderKindNames.All.Select(k => k.Name))}.");
            if (equals <= 0 || !int.TryParse(part[(equals + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var weight)
                || weight > 1000)
                throw new OptionsException($"{name}: '{part}' must be KIND=WEIGHT with a whole weight from 0 to 1000, e.g. ok=80.");
            if (!weights.TryAdd(kind.Kind, weight))
                throw new OptionsException($"{name}: '{kindName}' is given twice.");
        }
        if (weights.Values.Sum() <= 0)
            throw new OptionsException($"{name}: at least one weight must be above 0.");
        return new OrderMix(weights);
    }
}
