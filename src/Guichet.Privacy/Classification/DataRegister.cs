using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Guichet.Privacy.Access;
using Guichet.Privacy.Masking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Guichet.Privacy.Classification;

/// <summary>One personal field of the data register.</summary>
public sealed record DataRegisterEntry(
    string Entity,
    string Field,
    string Table,
    string Column,
    PersonalDataCategory Category,
    Sensitivity Sensitivity,
    string Purpose,
    string Retention,
    IReadOnlyList<string> BlindIndexes,
    IReadOnlyList<StaffRole> SeeMasked,
    IReadOnlyList<StaffRole> MayReveal);

/// <summary>
/// The data register (record of processing), generated from the classification attributes of
/// the EF models that store personal data and from <see cref="PersonalDataPolicy"/>, so it
/// cannot drift from the code.
/// </summary>
public static class DataRegister
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IReadOnlyList<DataRegisterEntry> Build(IEnumerable<IModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var entries = new List<DataRegisterEntry>();
        foreach (var entity in models.SelectMany(m => m.GetEntityTypes()))
        {
            var entityName = entity.ClrType.GetCustomAttribute<PersonalDataEntityAttribute>()?.Name ?? entity.ClrType.Name;
            var table = entity.GetTableName() ?? entity.ClrType.Name;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                if (property.PropertyInfo?.GetCustomAttribute<PersonalDataAttribute>() is not { } classified)
                {
                    continue;
                }

                var indexes = entity.GetProperties()
                    .Select(p => p.PropertyInfo?.GetCustomAttribute<BlindIndexColumnAttribute>())
                    .Where(a => a is not null && a.IndexedProperty == property.Name)
                    .Select(a => a!.Index)
                    .ToList();
                var roles = Enum.GetValues<StaffRole>();
                entries.Add(new DataRegisterEntry(
                    entityName,
                    property.Name,
                    table,
                    property.GetColumnName(store) ?? property.Name,
                    classified.Category,
                    classified.Sensitivity,
                    classified.Purpose,
                    classified.Retention,
                    indexes,
                    roles.Where(r => PersonalDataPolicy.For(r, classified.Category) != FieldAccess.None).ToList(),
                    roles.Where(r => PersonalDataPolicy.MayReveal(r, classified.Category)).ToList()));
            }
        }

        return entries.OrderBy(e => e.Entity, StringComparer.Ordinal).ThenBy(e => e.Field, StringComparer.Ordinal).ToList();
    }

    public static string ToJson(IReadOnlyList<DataRegisterEntry> entries) =>
        JsonSerializer.Serialize(new { register = "Guichet personal data register", fields = entries }, Json);

    public static string ToMarkdown(IReadOnlyList<DataRegisterEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder();
        text.AppendLine("# Personal data register").AppendLine();
        text.AppendLine("Generated from the code by `guichet privacy register`: every personal field, why it is kept, for how long, where, and who sees what.");
        text.AppendLine("Every field is stored encrypted (AES-256-GCM, bound to its row) by the privacy kernel; staff see masks unless they may reveal, which is audited.").AppendLine();
        if (entries.Count == 0)
        {
            text.AppendLine("No personal field is stored.");
            return text.ToString();
        }

        text.AppendLine("| entity | field | category | sensitivity | purpose | retention | stored in | blind indexes | masked view | may reveal (audited) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var e in entries)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {e.Entity} | {e.Field} | {e.Category} | {e.Sensitivity} | {Cell(e.Purpose)} | {Cell(e.Retention)} | `{e.Table}.{e.Column}` | {List(e.BlindIndexes)} | {List(e.SeeMasked.Select(r => r.ToString()))} | {List(e.MayReveal.Select(r => r.ToString()))} |");
        }

        return text.ToString();
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string List(IEnumerable<string> values)
    {
        var joined = string.Join(", ", values);
        return joined.Length == 0 ? "—" : joined;
    }
}
