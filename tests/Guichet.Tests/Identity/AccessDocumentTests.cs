using Guichet.Identity.Access;
using Guichet.Privacy.Access;

namespace Guichet.Tests.Identity;

public sealed class AccessDocumentTests
{
    /// <summary>Run with GUICHET_UPDATE_DOCS=1 to rewrite the table after changing Permissions.cs.</summary>
    [Fact]
    public void The_permission_table_in_docs_access_md_matches_the_code()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "access.md");
        var document = File.ReadAllText(path);
        var expected = AccessDocument.Update(document);
        if (Environment.GetEnvironmentVariable("GUICHET_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            document = expected;
        }

        Assert.True(expected == document, "docs/access.md is stale: run the tests with GUICHET_UPDATE_DOCS=1 and commit the result.");
    }

    [Fact]
    public void Every_role_has_permissions_and_the_administrative_roles_see_no_customer_data()
    {
        foreach (var role in Enum.GetValues<StaffRole>())
        {
            Assert.NotEmpty(Permissions.ByRole[role]);
        }

        foreach (var role in new[] { StaffRole.Administrator, StaffRole.Operator, StaffRole.SecurityAuditor })
        {
            Assert.DoesNotContain(Permissions.ByRole[role], p => p.StartsWith("customer.", StringComparison.Ordinal) || p.StartsWith("callrecords.", StringComparison.Ordinal));
        }
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Guichet.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the tests inside the repository.");
    }
}
