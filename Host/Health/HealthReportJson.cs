using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SagaEngine.Host.Health;

/// <summary>
/// <c>/health/ready</c>'s body: the overall status and each check's, with why, so a <c>Degraded</c>
/// (still 200) or an <c>Unhealthy</c> (503) says which check and what it saw.
/// </summary>
public static class HealthReportJson
{
    public sealed record CheckView(string Name, string Status, string? Description);

    public sealed record ReportView(string Status, IReadOnlyList<CheckView> Checks);

    public static Task Write(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new ReportView(report.Status.ToString(),
            report.Entries.Select(e => new CheckView(e.Key, e.Value.Status.ToString(), e.Value.Description)).ToList()));
}
