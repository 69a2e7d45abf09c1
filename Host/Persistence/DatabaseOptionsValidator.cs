using Microsoft.Extensions.Options;

namespace SagaEngine.Host.Persistence;

/// <summary>Refuses a database configuration that cannot work, naming the setting to fix.</summary>
public class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var provider)
            || !Enum.IsDefined(provider) || int.TryParse(options.Provider, out _))
            return ValidateOptionsResult.Fail(
                $"{DatabaseOptions.Section}:Provider must be {string.Join(" or ", Enum.GetNames<DatabaseProvider>())}, not '{options.Provider}'.");

        return provider switch
        {
            DatabaseProvider.Postgres when string.IsNullOrWhiteSpace(options.ConnectionString) =>
                ValidateOptionsResult.Fail(
                    $"ConnectionStrings:{DatabaseOptions.ConnectionStringName} is required when {DatabaseOptions.Section}:Provider is Postgres."),
            DatabaseProvider.Sqlite when string.IsNullOrWhiteSpace(options.SqlitePath) =>
                ValidateOptionsResult.Fail($"{DatabaseOptions.Section}:SqlitePath must name a file when {DatabaseOptions.Section}:Provider is Sqlite."),
            _ => ValidateOptionsResult.Success
        };
    }
}
