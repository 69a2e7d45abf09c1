using System.Net;
using System.Net.Sockets;

namespace SagaEngine.Tests.Support;

/// <summary>
/// A loopback TCP forwarder that a test can cut: every open connection is dropped and new ones are
/// refused until it is restored, as when a database server goes away and comes back.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly int _targetPort;
    readonly CancellationTokenSource _stopping = new();
    readonly List<TcpClient> _open = [];
    volatile bool _cut;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = Accept();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
                client.Dispose();
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    async Task Accept()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            if (_cut)
            {
                inbound.Dispose();
                continue;
            }
            _ = Forward(inbound);
        }
    }

    async Task Forward(TcpClient inbound)
    {
        using var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
            lock (_open)
                _open.AddRange([inbound, outbound]);
            await Task.WhenAny(inbound.GetStream().CopyToAsync(outbound.GetStream(), _stopping.Token),
                outbound.GetStream().CopyToAsync(inbound.GetStream(), _stopping.Token));
        }
        catch (Exception)
        {
            // A cut or a closed side ends the connection; the client sees it as the server going away.
        }
        finally
        {
            inbound.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        Cut();
        return ValueTask.CompletedTask;
    }
}
