using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guichet.Tests.Infrastructure;

namespace Guichet.Tests.Queue;

public sealed class CrashRecoveryTests
{
    private const int AcknowledgementsBeforeKill = 40;

    private static readonly Dictionary<string, string> Limits = new()
    {
        ["GUICHET_Queueing__KioskTicketsPerMinute"] = "100000",
    };

    [Fact]
    public async Task Every_acknowledged_ticket_survives_a_kill_9_of_the_server()
    {
        var dataDirectory = TestDirectories.Create();
        var acknowledged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        await using (var server = await GuichetProcess.StartAsync(dataDirectory, demo: true, Limits))
        {
            using var client = server.CreateClient();
            var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
            var prefixes = new[] { "A", "B", "C" };
            using var stop = new CancellationTokenSource();
            var kill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // Four kiosks take tickets as fast as they can; the server is killed the moment the
            // 40th acknowledgement arrives, while other requests are still in flight.
            var kiosks = Enumerable.Range(0, 4).Select(kiosk => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        using var response = await QueueApiHost.TakeTicketAsync(
                            client, branchId, new { serviceId = services[prefixes[(kiosk + i) % 3]], channel = "kiosk" });
                        if (response.StatusCode != HttpStatusCode.Created)
                        {
                            continue;
                        }

                        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
                        acknowledged[ticket.GetProperty("trackerToken").GetString()!] = ticket.GetProperty("number").GetString()!;
                        if (acknowledged.Count >= AcknowledgementsBeforeKill)
                        {
                            kill.TrySetResult();
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                    catch (IOException)
                    {
                        return;
                    }
                }
            })).ToList();

            await kill.Task;
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(kiosks);
        }

        Assert.True(acknowledged.Count >= AcknowledgementsBeforeKill);
        await using var restarted = await GuichetProcess.StartAsync(dataDirectory, demo: false, Limits);
        using var after = restarted.CreateClient();
        foreach (var (token, number) in acknowledged)
        {
            var ticket = await after.GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{token}");
            Assert.Equal(number, ticket.GetProperty("number").GetString());
        }

        // Numbers stay unique after the restart: the next ticket continues the sequence.
        var (branch, servicesAfter) = await QueueApiHost.DemoHallAsync(after);
        using var next = await QueueApiHost.TakeTicketAsync(after, branch, new { serviceId = servicesAfter["A"], channel = "kiosk" });
        var nextNumber = (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString();
        Assert.DoesNotContain(nextNumber, acknowledged.Values);
    }
}
