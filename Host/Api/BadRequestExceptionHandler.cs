using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SagaEngine.Host.Api;

/// <summary>
/// Turns what ASP.NET refuses before a handler runs (unreadable JSON, a wrong JSON type, a body over
/// the size limit) into ProblemDetails; a JSON error names the field by its path.
/// </summary>
public class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
            return false;

        context.Response.StatusCode = bad.StatusCode;
        ProblemDetails problem = FindJsonError(bad) is { } json
            ? new ValidationProblemDetails(new Dictionary<string, string[]>
            {
                [FieldOf(json.Path)] = [json.Path is null or "$" ? "Not valid JSON." : "Not valid JSON or not of the expected type."]
            }) { Title = "The request body could not be read.", Status = bad.StatusCode }
            : new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "Bad request.",
                Detail = bad.Message
            };

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    static JsonException? FindJsonError(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is JsonException json)
                return json;
        return null;
    }

    /// <summary>"$.items[0].quantity" becomes "items[0].quantity"; the whole document is "body".</summary>
    static string FieldOf(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
