using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Guichet.Privacy.Access;
using Guichet.Tests.Infrastructure;
using Guichet.Tests.Queue;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Guichet.Tests.Privacy;

/// <summary>
/// P1 end to end: canary phone numbers go in through the public API and canary customer names
/// through staff-issued tickets, the flows run (calls shown on a board that shows masked names),
/// and then no file of the data directory (database with -wal and -shm, key files), no log line
/// and no response holds a canary, in plaintext or in a common encoding.
/// </summary>
public class LeakScanTests
{
    // Obviously fake test numbers, typed the way a kiosk user would.
    private static readonly string[] Canaries = ["139 0013 9123", "+86 186 0018 6246"];

    // Obviously fake names, one Latin and one Chinese, given at the desk.
    private static readonly string[] NameCanaries = ["Canary Testperson", "测试金丝雀"];
    // Canary customers registered through the API: their names and ID number must not leak either.
    private static readonly string[] CanaryNames = ["Canary Testperson", "Canary Otherperson"];
    private const string CanaryIdNumber = "11010519491231002X";

    [Fact]
    public async Task Canary_phones_appear_in_no_file_of_the_data_directory_and_no_log_line()
    {
        var logs = new CapturingLoggerProvider();
        var dataDirectory = TestDirectories.Create();
        var responses = new StringBuilder();
        var server = await GuichetServer.StartAsync(dataDirectory, demo: true, configure: builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Everything is scanned, the lines that are off by default included.
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
                ["Queueing:KioskTicketsPerMinute"] = "1000",
                ["Queueing:OnlineTicketsPerHour"] = "1000",
            });
        });
        try
        {
            using var client = server.CreateClient();
            var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
            foreach (var canary in Canaries)
            {
                // Loans (B) collects a phone; the same customer twice; Deposits (A) refuses one.
                for (var i = 0; i < 2; i++)
                {
                    using var created = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["B"], channel = "kiosk", phone = canary });
                    Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                    var body = await created.Content.ReadAsStringAsync();
                    responses.AppendLine(body);
                    var token = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("trackerToken").GetString();
                    responses.AppendLine(await client.GetStringAsync(new Uri($"/api/v1/tickets/{token}", UriKind.Relative)));
                }

                using var refused = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk", phone = canary });
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                responses.AppendLine(await refused.Content.ReadAsStringAsync());
            }

            await IssueNamedTicketsAsync(server, client, branchId, services["C"], responses);
            await RunCustomerFlowsAsync(server, responses);
            responses.AppendLine(await client.GetStringAsync(new Uri($"/api/v1/branches/{branchId}/display", UriKind.Relative)));
            responses.AppendLine(await client.GetStringAsync(new Uri($"/api/v1/branches/{branchId}/services", UriKind.Relative)));

            // While running: the WAL and shared-memory files are there.
            AssertNoCanaryInFiles(dataDirectory);
        }
        finally
        {
            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }

        AssertNoCanaryInFiles(dataDirectory);
        var patterns = Patterns().ToList();
        Assert.NotEmpty(logs.Entries);
        foreach (var entry in logs.Entries)
        {
            Assert.DoesNotContain(patterns, pattern => entry.Contains(pattern.Text, StringComparison.OrdinalIgnoreCase));
        }

        var responseText = responses.ToString();
        Assert.DoesNotContain(patterns, pattern => responseText.Contains(pattern.Text, StringComparison.OrdinalIgnoreCase));

        // The tickets did store a phone: encrypted, so the scan above is meaningful.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "guichet.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM queue_tickets WHERE Phone IS NOT NULL AND length(Phone) > 37";
        Assert.Equal(4L, (long)(await command.ExecuteScalarAsync())!);
        command.CommandText = "SELECT COUNT(*) FROM queue_tickets WHERE CustomerName IS NOT NULL AND length(CustomerName) > 37";
        Assert.Equal(NameCanaries.Length, (long)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>Staff issue a ticket per canary name at a board that shows masked names, then call each.</summary>
    private static async Task IssueNamedTicketsAsync(GuichetServer server, HttpClient client, Guid branchId, Guid serviceId, StringBuilder responses)
    {
        var manager = await ConfigurationApiTests.ApiKeyAsync(server, Guichet.Privacy.Access.StaffRole.BranchManager, branchId);
        var staff = await ConfigurationApiTests.ApiKeyAsync(server, Guichet.Privacy.Access.StaffRole.CounterStaff, branchId);
        var zone = (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/branches"))[0].GetProperty("timeZone").GetString();
        using var setting = await ConfigurationApiTests.SendAsync(client, HttpMethod.Put, $"/api/v1/configuration/branches/{branchId}", manager, new { name = "Demo Branch", timeZone = zone, showMaskedNameOnDisplay = true });
        Assert.Equal(HttpStatusCode.OK, setting.StatusCode);
        using var counterResponse = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/counters", manager, new { name = "Leak scan window", windowNumber = 90, serviceIds = new[] { serviceId } });
        Assert.Equal(HttpStatusCode.Created, counterResponse.StatusCode);
        var counterId = (await counterResponse.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        foreach (var name in NameCanaries)
        {
            using var issued = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/branches/{branchId}/staff-tickets", staff, new { serviceId, customerName = name });
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            responses.AppendLine(await issued.Content.ReadAsStringAsync());
            using var called = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/call-next", staff, new { });
            var state = await called.Content.ReadAsStringAsync();
            Assert.Contains("maskedName", state, StringComparison.Ordinal);
            responses.AppendLine(state);
            using var done = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/no-show", staff, new { });
            responses.AppendLine(await done.Content.ReadAsStringAsync());
        }

        var display = await client.GetStringAsync(new Uri($"/api/v1/branches/{branchId}/display", UriKind.Relative));
        Assert.Contains("C. T*********", display, StringComparison.Ordinal);
        Assert.Contains("测****", display, StringComparison.Ordinal);
        responses.AppendLine(display);
    }

    /// <summary>Canary customers: registered, found by phone and last four, read, revealed, changed, one erased.</summary>
    private static async Task RunCustomerFlowsAsync(GuichetServer server, StringBuilder responses)
    {
        var (_, agent) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");
        var (_, officer) = await server.CreateSignedInAsync(StaffRole.PrivacyOfficer);
        var ids = new List<Guid>();
        for (var i = 0; i < Canaries.Length; i++)
        {
            using var created = await agent.PostAsJsonAsync(new Uri("/api/v1/customers", UriKind.Relative), new { branchId = "branch-a", name = CanaryNames[i], phone = Canaries[i], idNumber = CanaryIdNumber, note = "Canary note " + CanaryNames[i] });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = await created.Content.ReadAsStringAsync();
            responses.AppendLine(body);
            ids.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid());
            var digits = new string([.. Canaries[i].Where(char.IsAsciiDigit)]);
            foreach (var criteria in new object[] { new { phone = Canaries[i] }, new { lastFour = digits[^4..] }, new { idNumber = CanaryIdNumber } })
            {
                using var found = await agent.PostAsJsonAsync(new Uri("/api/v1/customers/search", UriKind.Relative), criteria);
                Assert.Equal(HttpStatusCode.OK, found.StatusCode);
                responses.AppendLine(await found.Content.ReadAsStringAsync());
            }

            // A reveal answers the value by design; its response is not scanned, the files and logs are.
            using var revealed = await agent.PostAsJsonAsync(new Uri($"/api/v1/customers/{ids[^1]}/reveal", UriKind.Relative), new { field = "phone", purpose = "Leak scan" });
            Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
            using var changed = await agent.PutAsJsonAsync(new Uri($"/api/v1/customers/{ids[^1]}", UriKind.Relative), new { note = "Changed canary note " + CanaryNames[i] });
            responses.AppendLine(await changed.Content.ReadAsStringAsync());
        }

        using var erased = await officer.DeleteAsync(new Uri($"/api/v1/customers/{ids[0]}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
    }

    private static void AssertNoCanaryInFiles(string dataDirectory)
    {
        var files = Directory.GetFiles(dataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("guichet.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            byte[] content;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                content = copy.ToArray();
            }

            foreach (var (text, bytes) in Patterns())
            {
                Assert.True(content.AsSpan().IndexOf(bytes) < 0, $"{Path.GetRelativePath(dataDirectory, file)} holds a canary ({text.Length} characters, encoded)");
            }
        }
    }

    /// <summary>Each canary as typed (phones also digits only and E.164; names also each word), in UTF-8, UTF-16 LE/BE, base64 and hex.</summary>
    private static IEnumerable<(string Text, byte[] Bytes)> Patterns()
    {
        var forms = new List<string>();
        foreach (var canary in Canaries)
        {
            var digits = new string([.. canary.Where(char.IsAsciiDigit)]);
            var national = digits.StartsWith("86", StringComparison.Ordinal) ? digits[2..] : digits;
            forms.AddRange([canary, national, "+86" + national]);
        }

        foreach (var name in NameCanaries)
        {
            forms.Add(name);
            forms.AddRange(name.Split(' ').Where(word => word.Length >= 6));
            // The Chinese name without its surname (the part the mask hides).
            forms.Add(name[1..]);
        }

        foreach (var form in forms)
        {
            var utf8 = Encoding.UTF8.GetBytes(form);
            yield return (form, utf8);
            yield return (form, Encoding.Unicode.GetBytes(form));
            yield return (form, Encoding.BigEndianUnicode.GetBytes(form));
            var base64 = Convert.ToBase64String(utf8);
            yield return (base64, Encoding.ASCII.GetBytes(base64));
            var hex = Convert.ToHexString(utf8);
            yield return (hex, Encoding.ASCII.GetBytes(hex));
            yield return (hex.ToLowerInvariant(), Encoding.ASCII.GetBytes(hex.ToLowerInvariant()));
        }

        foreach (var text in CanaryNames.Append(CanaryIdNumber))
        {
            var utf8 = Encoding.UTF8.GetBytes(text);
            yield return (text, utf8);
            yield return (text, Encoding.Unicode.GetBytes(text));
            var base64 = Convert.ToBase64String(utf8);
            yield return (base64, Encoding.ASCII.GetBytes(base64));
            yield return (Convert.ToHexString(utf8), Encoding.ASCII.GetBytes(Convert.ToHexString(utf8)));
        }
    }
}
