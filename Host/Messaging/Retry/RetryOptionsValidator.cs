using Microsoft.Extensions.Options;

namespace SagaEngine.Host.Messaging.Retry;

/// <summary>Checks the <c>Retry</c> settings at start-up; each failure names its setting.</summary>
public class RetryOptionsValidator : IValidateOptions<RetryOptions>
{
    public ValidateOptionsResult Validate(string? name, RetryOptions options)
    {
        var problems = RetryPolicy.For("", new RetryOptions { Default = options.Default })
            .Problems($"{RetryOptions.Section}:Default")
            .Concat(options.Endpoints.SelectMany(e => RetryPolicy.For(e.Key, options).Problems($"{RetryOptions.Section}:Endpoints:{e.Key}")))
            .ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
