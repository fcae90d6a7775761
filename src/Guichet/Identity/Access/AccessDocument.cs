using System.Text;
using Guichet.Identity.Data;
using Guichet.Privacy.Access;

namespace Guichet.Identity.Access;

/// <summary>Renders the role → permission table of docs/access.md from <see cref="Permissions"/>.</summary>
internal static class AccessDocument
{
    public const string Begin = "<!-- permissions:begin (generated from Permissions.cs; a test fails when stale) -->";
    public const string End = "<!-- permissions:end -->";

    public static string RenderTable()
    {
        var columns = Enum.GetValues<StaffRole>().Select(r => r.ToString())
            .Concat(Enum.GetValues<DeviceKind>().Select(k => $"{k} device"))
            .ToList();
        var text = new StringBuilder();
        text.Append("| permission | ").AppendJoin(" | ", columns).AppendLine(" |");
        text.Append("|---|").AppendJoin("", columns.Select(_ => ":-:|")).AppendLine();
        foreach (var permission in Permissions.All)
        {
            text.Append("| `").Append(permission).Append("` |");
            foreach (var role in Enum.GetValues<StaffRole>())
            {
                text.Append(Permissions.ByRole[role].Contains(permission) ? " ✔ |" : "   |");
            }

            foreach (var kind in Enum.GetValues<DeviceKind>())
            {
                text.Append(Permissions.ByDevice[kind].Contains(permission) ? " ✔ |" : "   |");
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.Append("API keys may carry the roles ").AppendJoin(", ", Permissions.ApiKeyRoles.Order().Select(r => $"`{r}`")).AppendLine(" and then hold that role's permissions in one branch.");
        return text.ToString();
    }

    /// <summary>Replaces the generated section of a document.</summary>
    public static string Update(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException("The document has no generated permission section.");
        }

        return string.Concat(document.AsSpan(0, start + Begin.Length), "\n", RenderTable(), document.AsSpan(end));
    }
}
