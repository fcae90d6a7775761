namespace Guichet.LoadDriver;

/// <summary>HTTP clients for load: HTTP/1.1 over TLS, a fixed connection pool, the server's self-signed certificate accepted.</summary>
internal static class LoadClient
{
    public static HttpClient Create(Uri address, int connections, bool cookies = false)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseCookies = cookies,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            // The server is a fresh local instance with a self-signed localhost certificate.
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=localhost" },
        };
        return new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }
}
