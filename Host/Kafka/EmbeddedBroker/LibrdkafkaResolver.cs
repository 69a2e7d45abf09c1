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
    static int _registered;

    /// <summary>Must run before the first call into <see cref="LibrdkafkaNative"/>; safe to call often.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaResolver).Assembly, Resolve);
    }

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
