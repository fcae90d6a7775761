using Guichet.Privacy.Classification;
using Guichet.Privacy.Tests.Infrastructure;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Logging;

namespace Guichet.Privacy.Tests.Redaction;

public partial class LogRedactionTests
{
    [Fact]
    public async Task Classified_log_parameters_are_masked_or_erased()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var logger = host.Get<ILoggerFactory>().CreateLogger("Test");

        CustomerCalled(logger, "+86 138 0013 8000", "11010519491231002X", "Test Person", "ticket-42");

        var record = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 9001);
        var text = record.Message + string.Join(";", record.StructuredState!.Select(p => p.Value));
        Assert.DoesNotContain("0013", text, StringComparison.Ordinal);
        Assert.DoesNotContain("19491231", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Test Person", text, StringComparison.Ordinal);
        Assert.Contains("138****8000", text, StringComparison.Ordinal);
        Assert.Contains("110105********002X", text, StringComparison.Ordinal);
        Assert.Contains("ticket-42", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redactors_follow_the_taxonomy_with_an_erasing_fallback()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var redactors = host.Get<IRedactorProvider>();

        Assert.Equal("138****8000", redactors.GetRedactor(GuichetTaxonomy.For(PersonalDataCategory.Phone)).Redact("13800138000"));
        Assert.Equal("110105********002X", redactors.GetRedactor(GuichetTaxonomy.For(PersonalDataCategory.NationalId)).Redact("11010519491231002X"));
        Assert.Equal(string.Empty, redactors.GetRedactor(GuichetTaxonomy.For(PersonalDataCategory.Name)).Redact("Test Person"));
        Assert.Equal(string.Empty, redactors.GetRedactor(GuichetTaxonomy.For(PersonalDataCategory.FreeText)).Redact("a test note"));
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Called {Phone} {IdNumber} {Name} for {TicketId}")]
    private static partial void CustomerCalled(
        ILogger logger,
        [PhoneData] string phone,
        [NationalIdData] string idNumber,
        [NameData] string name,
        string ticketId);
}
