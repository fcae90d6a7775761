using Guichet.Queueing.Domain;

namespace Guichet.Queueing.Configuration;

/// <summary>
/// Checks configuration input field by field and normalizes it (trimmed text, upper-case
/// prefix). Each error names its JSON field and says what is allowed, never echoing a value.
/// </summary>
internal static class ConfigurationRules
{
    public const int MaxDailyCap = 1_000_000;
    public const int MaxWarningLevel = 1_000_000;
    public const int MaxServiceMinutes = 480;
    public const int MaxWindowNumber = 9999;
    public const int MaxServicesPerCounter = 50;
    public const int DefaultServiceMinutes = 5;

    public sealed record ValidBranch(string Name, string TimeZone, WeeklyHours OpeningHours, bool ShowMaskedNames);

    public sealed record ValidService(
        string Name, string BusinessType, string? Prefix, int DailyCap, int WarningLevel, int ServiceMinutes, WeeklyHours? ServiceHours,
        bool CollectsPhone, string? PhonePurpose, bool CollectsIdNumber, string? IdNumberPurpose)
    {
        public void ApplyTo(Service service)
        {
            service.Name = Name;
            service.BusinessType = BusinessType;
            service.Prefix = Prefix!;
            service.DailyCap = DailyCap;
            service.WaitingWarningLevel = WarningLevel;
            service.DefaultServiceMinutes = ServiceMinutes;
            service.ServiceHours = ServiceHours;
            service.CollectsPhone = CollectsPhone;
            service.PhonePurpose = PhonePurpose;
            service.CollectsIdNumber = CollectsIdNumber;
            service.IdNumberPurpose = IdNumberPurpose;
        }
    }

    public sealed record ValidCounter(string Name, int? WindowNumber, IReadOnlyList<Guid> ServiceIds);

    public static Dictionary<string, string[]> Validate(BranchInput input, out ValidBranch valid)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Text(errors, "name", input.Name, Branch.NameMaxLength, required: true);
        var zone = Text(errors, "timeZone", input.TimeZone, Branch.TimeZoneMaxLength, required: true);
        if (zone.Length > 0 && !IsKnownZone(zone))
        {
            errors["timeZone"] = ["timeZone must be an IANA time zone id such as \"Asia/Shanghai\" or \"Europe/Paris\"."];
        }

        var hours = Hours(errors, "openingHours", input.OpeningHours) ?? WeeklyHours.Always;
        valid = new ValidBranch(name, zone, hours, input.ShowMaskedNameOnDisplay ?? false);
        return errors;
    }

    public static Dictionary<string, string[]> Validate(ServiceInput input, out ValidService valid)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Text(errors, "name", input.Name, Service.NameMaxLength, required: true);
        var businessType = Text(errors, "businessType", input.BusinessType, Service.BusinessTypeMaxLength, required: true);
        var prefix = (input.Prefix ?? "").Trim().ToUpperInvariant();
        if (prefix.Length is < 1 or > Service.PrefixMaxLength || !prefix.All(char.IsAsciiLetterUpper))
        {
            errors["prefix"] = ["prefix must be one or two letters A–Z (ticket numbers read like A012 or VB003)."];
        }

        var cap = Number(errors, "dailyCap", input.DailyCap, 1, MaxDailyCap, required: true);
        var warning = Number(errors, "waitingWarningLevel", input.WaitingWarningLevel, 0, MaxWarningLevel, required: true);
        var minutes = Number(errors, "defaultServiceMinutes", input.DefaultServiceMinutes, 1, MaxServiceMinutes, required: false) ?? DefaultServiceMinutes;
        var serviceHours = Hours(errors, "serviceHours", input.ServiceHours);
        if (input.CollectsPhone is null)
        {
            errors["collectsPhone"] = ["collectsPhone is required (true or false)."];
        }

        var collectsPhone = input.CollectsPhone ?? false;
        var phonePurpose = Purpose(errors, "phonePurpose", input.PhonePurpose, collectsPhone);
        var collectsId = input.CollectsIdNumber ?? false;
        var idPurpose = Purpose(errors, "idNumberPurpose", input.IdNumberPurpose, collectsId);
        valid = new ValidService(
            name, businessType, errors.ContainsKey("prefix") ? null : prefix, cap ?? 0, warning ?? 0, minutes, serviceHours,
            collectsPhone, phonePurpose, collectsId, idPurpose);
        return errors;
    }

    public static Dictionary<string, string[]> Validate(CounterInput input, out ValidCounter valid)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Text(errors, "name", input.Name, Counter.NameMaxLength, required: true);
        var window = Number(errors, "windowNumber", input.WindowNumber, 1, MaxWindowNumber, required: true);
        var ids = input.ServiceIds?.Distinct().ToList() ?? [];
        if (ids.Count == 0 || ids.Count > MaxServicesPerCounter || ids.Contains(Guid.Empty))
        {
            errors["serviceIds"] = [$"serviceIds must list between 1 and {MaxServicesPerCounter} services of the branch."];
            ids = [];
        }

        valid = new ValidCounter(name, window, ids);
        return errors;
    }

    private static string Text(Dictionary<string, string[]> errors, string field, string? value, int maxLength, bool required)
    {
        var text = (value ?? "").Trim();
        if (required && text.Length == 0)
        {
            errors[field] = [$"{field} is required."];
        }
        else if (text.Length > maxLength)
        {
            errors[field] = [$"{field} must be at most {maxLength} characters."];
        }
        else if (text.Any(char.IsControl))
        {
            errors[field] = [$"{field} must not contain control characters."];
        }

        return text;
    }

    private static int? Number(Dictionary<string, string[]> errors, string field, int? value, int min, int max, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors[field] = [$"{field} is required (a whole number from {min} to {max})."];
            }

            return null;
        }

        if (value < min || value > max)
        {
            errors[field] = [$"{field} must be a whole number from {min} to {max}."];
            return null;
        }

        return value;
    }

    private static WeeklyHours? Hours(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length > 200)
        {
            errors[field] = [$"{field} must be at most 200 characters."];
            return null;
        }

        try
        {
            return WeeklyHours.Parse(value);
        }
        catch (FormatException)
        {
            errors[field] = [$"{field} must read like \"mon=08:30-17:00;tue=08:30-17:00\" (days sun–sat, 24-hour times, closing after opening)."];
            return null;
        }
    }

    /// <summary>P10: a service that collects a phone or ID number says why; one that does not keeps no purpose.</summary>
    private static string? Purpose(Dictionary<string, string[]> errors, string field, string? value, bool collects)
    {
        var text = Text(errors, field, value, Service.PurposeMaxLength, required: false);
        if (collects && text.Length == 0)
        {
            errors[field] = [$"{field} is required when the service collects it: customers are told why."];
        }

        return collects && text.Length > 0 ? text : null;
    }

    private static bool IsKnownZone(string zone)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(zone);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}
