using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Guichet.Privacy.Classification;

/// <summary>
/// Walks an EF Core model and reports every string or binary property of a personal-data
/// entity that is unclassified, and every classified property stored outside the kernel
/// (a string column: plaintext at rest). Modules call it from their tests on their own DbContext.
/// </summary>
public static class PersonalDataModelCheck
{
    /// <returns>One readable line per problem; empty when the model is sound.</returns>
    public static IReadOnlyList<string> FindProblems(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = new List<string>();
        foreach (var entity in model.GetEntityTypes())
        {
            var clr = entity.ClrType;
            var properties = entity.GetProperties().ToList();
            var holdsPersonalData = clr.GetCustomAttribute<PersonalDataEntityAttribute>() is not null
                || properties.Any(p => p.PropertyInfo?.GetCustomAttribute<PersonalDataAttribute>() is not null);
            if (!holdsPersonalData)
            {
                continue;
            }

            foreach (var property in properties)
            {
                var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                var info = property.PropertyInfo;
                var classified = info?.GetCustomAttribute<PersonalDataAttribute>();
                var where = $"{clr.Name}.{property.Name}";
                if (classified is not null)
                {
                    if (type != typeof(byte[]))
                    {
                        problems.Add($"{where} is classified {classified.Category} but stored as {type.Name}: personal data is stored as the kernel's ciphertext (byte[]).");
                    }

                    if (string.IsNullOrWhiteSpace(classified.Purpose) || string.IsNullOrWhiteSpace(classified.Retention))
                    {
                        problems.Add($"{where} is classified {classified.Category} without a purpose and a retention.");
                    }

                    continue;
                }

                if (type != typeof(string) && type != typeof(byte[]) && type != typeof(char[]))
                {
                    continue;
                }

                if (info?.GetCustomAttribute<BlindIndexColumnAttribute>() is { } index)
                {
                    if (entity.FindProperty(index.IndexedProperty)?.PropertyInfo?.GetCustomAttribute<PersonalDataAttribute>() is null)
                    {
                        problems.Add($"{where} is a blind index of {index.IndexedProperty}, which is not a classified property of {clr.Name}.");
                    }

                    continue;
                }

                if (info?.GetCustomAttribute<NotPersonalDataAttribute>() is not null || property.IsConcurrencyToken)
                {
                    continue;
                }

                problems.Add($"{where} ({type.Name}) of personal-data entity {clr.Name} is unclassified: add [PersonalData], [BlindIndexColumn] or [NotPersonalData(reason)].");
            }
        }

        return problems;
    }

    /// <summary>Throws with every problem listed; for module tests.</summary>
    public static void AssertSound(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = FindProblems(context.Model);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Personal data classification problems:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }
    }
}
