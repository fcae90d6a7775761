using System.Net.Http.Json;
using System.Text.Json;
using Guichet.Queueing.Calling;
using Guichet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Guichet.Tests.Queue;

public sealed class LiveEventStreamTests
{
    // Guards against a hang only; the assertions are about content, never about speed.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_display_stream_sends_a_call_event_when_a_counter_calls()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        using var issued = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk" });
        using var guard = new CancellationTokenSource(HangGuard);
        await using var stream = await SseReader.OpenAsync(client, $"/api/v1/branches/{branchId}/display/events", guard.Token);

        var counter = await CallNextAtFirstCounterAsync(server);
        var (name, data) = await stream.NextEventAsync(guard.Token);

        Assert.Equal("call", name);
        Assert.Equal("A001", data.GetProperty("number").GetString());
        Assert.Equal(counter.WindowNumber, data.GetProperty("windowNumber").GetInt32());
        Assert.False(data.GetProperty("isRecall").GetBoolean());
        var display = await client.GetFromJsonAsync<JsonElement>($"/api/v1/branches/{branchId}/display");
        Assert.Equal("A001", display.GetProperty("recentCalls")[0].GetProperty("number").GetString());
    }

    [Fact]
    public async Task The_tracker_stream_sends_the_state_then_the_call_with_the_window()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        using var issued = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "online" });
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackerToken").GetString();
        using var guard = new CancellationTokenSource(HangGuard);
        await using var stream = await SseReader.OpenAsync(client, $"/api/v1/tickets/{token}/events", guard.Token);

        var (firstName, first) = await stream.NextEventAsync(guard.Token);
        var counter = await CallNextAtFirstCounterAsync(server);
        var (_, second) = await stream.NextEventAsync(guard.Token);

        Assert.Equal("ticket", firstName);
        Assert.Equal("waiting", first.GetProperty("status").GetString());
        Assert.Equal("called", second.GetProperty("status").GetString());
        Assert.Equal(counter.WindowNumber, second.GetProperty("windowNumber").GetInt32());
        Assert.Equal(counter.Name, second.GetProperty("counterName").GetString());
    }

    [Fact]
    public async Task A_counter_action_answers_what_the_counter_holds_and_its_stream_sends_the_waiting_list_at_once()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        using var first = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk" });
        using var second = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk" });
        var counterStaff = await ConfigurationApiTests.ApiKeyAsync(server, Guichet.Privacy.Access.StaffRole.CounterStaff, branchId);
        var counterId = (await QueueApiTests.WithDbAsync(server, db => db.Counters.OrderBy(c => c.WindowNumber).FirstAsync())).Id;
        var serviceName = (await QueueApiTests.WithDbAsync(server, db => db.Services.FirstAsync(s => s.Id == services["A"]))).Name;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", counterStaff);
        using var guard = new CancellationTokenSource(HangGuard);
        await using var stream = await SseReader.OpenAsync(client, $"/api/v1/counters/{counterId}/events", guard.Token);

        var (_, before) = await stream.NextEventAsync(guard.Token);
        using var call = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/call-next", counterStaff, new { });
        var answer = await call.Content.ReadFromJsonAsync<JsonElement>();
        var (name, after) = await stream.NextEventAsync(guard.Token);

        Assert.Equal(["A001", "A002"], before.GetProperty("waiting").EnumerateArray().Select(t => t.GetProperty("number").GetString()));
        Assert.Equal(System.Net.HttpStatusCode.OK, call.StatusCode);
        Assert.Equal(counterId, answer.GetProperty("id").GetGuid());
        Assert.Equal("A001", answer.GetProperty("currentTicket").GetProperty("number").GetString());
        Assert.Equal(serviceName, answer.GetProperty("currentTicket").GetProperty("serviceName").GetString());
        Assert.Equal(0, answer.GetProperty("suspended").GetArrayLength());
        Assert.False(answer.TryGetProperty("waiting", out _));
        Assert.False(answer.TryGetProperty("warnings", out _));
        Assert.Equal("counter", name);
        Assert.Equal("A001", after.GetProperty("currentTicket").GetProperty("number").GetString());
        Assert.Equal(["A002"], after.GetProperty("waiting").EnumerateArray().Select(t => t.GetProperty("number").GetString()));
    }

    [Fact]
    public async Task A_tracker_sends_its_own_call_at_once_and_gathers_the_rest_of_the_hall()
    {
        // Changes to other tickets are rendered at most once a minute here, so the tracker must
        // skip "one person ahead" (another ticket was called) and send its own call at once.
        await using var server = await QueueApiHost.StartAsync(new Dictionary<string, string?> { ["Queueing:LiveRefreshMilliseconds"] = "60000" });
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        using var ahead = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "online" });
        using var issued = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "online" });
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackerToken").GetString();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await using var stream = await SseReader.OpenAsync(client, $"/api/v1/tickets/{token}/events", guard.Token);

        var (_, first) = await stream.NextEventAsync(guard.Token);
        await CallNextAtCounterAsync(server, window: 1);
        var own = await CallNextAtCounterAsync(server, window: 2);
        var (_, second) = await stream.NextEventAsync(guard.Token);

        Assert.Equal(1, first.GetProperty("peopleAhead").GetInt32());
        Assert.Equal("called", second.GetProperty("status").GetString());
        Assert.Equal(own.WindowNumber, second.GetProperty("windowNumber").GetInt32());
        Assert.False(guard.IsCancellationRequested);
    }

    [Fact]
    public async Task A_tracker_sends_the_gathered_changes_when_the_refresh_interval_ends_without_another_change()
    {
        // The call ahead comes right after the first render, so the tracker holds it back; no
        // other change follows and heartbeats are five minutes apart: only the stream's own
        // alarm at the end of the interval sends "nobody ahead" before the guard fires.
        await using var server = await QueueApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Queueing:LiveRefreshMilliseconds"] = "3000",
            ["Queueing:HeartbeatSeconds"] = "300",
        });
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        using var ahead = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "online" });
        using var issued = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "online" });
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackerToken").GetString();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var stream = await SseReader.OpenAsync(client, $"/api/v1/tickets/{token}/events", guard.Token);

        var (_, first) = await stream.NextEventAsync(guard.Token);
        await CallNextAtCounterAsync(server, window: 1);
        var (_, second) = await stream.NextEventAsync(guard.Token);

        Assert.Equal(1, first.GetProperty("peopleAhead").GetInt32());
        Assert.Equal("waiting", second.GetProperty("status").GetString());
        Assert.Equal(0, second.GetProperty("peopleAhead").GetInt32());
        Assert.False(guard.IsCancellationRequested);
    }

    [Fact]
    public async Task Stopping_the_server_ends_open_event_streams_instead_of_waiting_for_them()
    {
        // A shutdown timeout far beyond the hang guard: only the stream ending on stop lets the
        // read below finish before the guard fires.
        var server = await QueueApiHost.StartAsync(configure: builder =>
            builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMinutes(10)));
        using var client = server.CreateClient();
        var (branchId, _) = await QueueApiHost.DemoHallAsync(client);
        using var guard = new CancellationTokenSource(HangGuard);
        await using var stream = await SseReader.OpenAsync(client, $"/api/v1/branches/{branchId}/display/events", guard.Token);

        var stopping = server.DisposeAsync().AsTask();
        var ended = await Record.ExceptionAsync(() => stream.NextEventAsync(guard.Token));
        await stopping;

        Assert.False(guard.IsCancellationRequested);
        Assert.True(ended is InvalidOperationException or IOException or HttpRequestException, ended?.ToString());
    }

    [Fact]
    public async Task An_idle_stream_carries_heartbeat_comments()
    {
        await using var server = await QueueApiHost.StartAsync(new Dictionary<string, string?> { ["Queueing:HeartbeatSeconds"] = "1" });
        using var client = server.CreateClient();
        var (branchId, _) = await QueueApiHost.DemoHallAsync(client);
        using var guard = new CancellationTokenSource(HangGuard);
        await using var stream = await SseReader.OpenAsync(client, $"/api/v1/branches/{branchId}/display/events", guard.Token);

        var line = await stream.NextLineAsync(guard.Token);
        while (line is { Length: 0 })
        {
            line = await stream.NextLineAsync(guard.Token);
        }

        Assert.Equal(": heartbeat", line);
    }

    [Fact]
    public async Task An_unknown_tracker_token_gets_a_404_not_a_stream()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/tickets/unknown-token-xxxxxxxxx/events", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_branch_gets_a_404_not_a_display_stream()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri($"/api/v1/branches/{Guid.NewGuid()}/display/events", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Task<CounterActionView> CallNextAtFirstCounterAsync(GuichetServer server) => CallNextAtCounterAsync(server, window: 1);

    private static async Task<CounterActionView> CallNextAtCounterAsync(GuichetServer server, int window)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Guichet.Queueing.Storage.QueueingDbContext>();
        var counterId = await db.Counters.Where(c => c.WindowNumber == window).Select(c => c.Id).FirstAsync();
        var outcome = await scope.ServiceProvider.GetRequiredService<CounterDesk>()
            .CallNextAsync(new StaffActor(BranchScope.Everything, "staff-test-1"), counterId, CancellationToken.None);
        Assert.Equal(OutcomeKind.Ok, outcome.Kind);
        return outcome.Value!;
    }
}

/// <summary>Reads a text/event-stream response event by event.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private SseReader(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    public static async Task<SseReader> OpenAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        // The stream opens with a retry hint; after it the subscription is live.
        Assert.Equal("retry: 3000", await reader.ReadLineAsync(cancellationToken));
        return new SseReader(response, reader);
    }

    public Task<string?> NextLineAsync(CancellationToken cancellationToken) => reader.ReadLineAsync(cancellationToken).AsTask();

    public async Task<(string Name, JsonElement Data)> NextEventAsync(CancellationToken cancellationToken)
    {
        string? name = null;
        string? data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && name is not null && data is not null)
            {
                return (name, JsonDocument.Parse(data).RootElement.Clone());
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
