using System.Reflection;
using System.Runtime.InteropServices;

namespace SagaEngine.Host.Kafka.EmbeddedBroker;

/// <summary>
/// Finds librdkafka for <see cref="LibrdkafkaNative"/> the way Confluent.Kafka finds it for itself: the
/// default build first, then the builds without optional dependencies from the same runtime folder.
/// On Debian the default build cannot load (it needs libsasl2.so.3); <c>centos8-librdkafka.so</c> can.
/// </summary>
static class LibrdkafkaResolver
{
    static readonly string[] Candidates = ["librdkafka", "centos8-librdkafka.so", "alpine-librdkafka.so"];
    static readonly Lazy<IntPtr> Handle = new(Load);

    /// <summary>
    /// Registered once, and every caller waits until it is: a caller that went on while another was still registering
    /// would reach librdkafka through the default search, which finds the build Debian cannot load.
    /// </summary>
    static readonly Lazy<bool> Registration = new(() =>
    {
        NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaResolver).Assembly, Resolve);
        return true;
    });

    /// <summary>Must run before the first call into <see cref="LibrdkafkaNative"/>; safe to call often, from any thread.</summary>
    public static void Register() => _ = Registration.Value;

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == LibrdkafkaNative.Library ? Handle.Value : IntPtr.Zero;

    static IntPtr Load()
    {
        // The native files come with Confluent.Kafka's librdkafka.redist package; probing from its
        // assembly searches the runtime folders the app's deps.json lists for it.
        var confluent = typeof(Confluent.Kafka.Library).Assembly;
        foreach (var candidate in Candidates)
            if (NativeLibrary.TryLoad(candidate, confluent, null, out var handle))
                return handle;

        throw new DllNotFoundException(
            $"librdkafka could not be loaded (tried {string.Join(", ", Candidates)}); the embedded Kafka broker needs it.");
    }
}
