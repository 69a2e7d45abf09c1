namespace SagaEngine.Host.Security;

/// <summary>The <c>Security</c> settings: who may take operator actions, and whether the rest of the API is open.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// The keys that operators send as <c>Authorization: Bearer &lt;key&gt;</c>. Empty: operator actions are
    /// allowed only from loopback clients.
    /// </summary>
    public List<OperatorKeyOptions> OperatorKeys { get; set; } = [];

    /// <summary>When true, the reads and <c>POST /orders</c> need a valid key too; health and metrics stay open.</summary>
    public bool RequireKeyForReads { get; set; }
}

/// <summary>One operator: the name that logs and order history record, and the key that proves it.</summary>
public sealed class OperatorKeyOptions
{
    public string? Name { get; set; }

    public string? Key { get; set; }
}
