using System.Net;
using System.Text.RegularExpressions;

namespace Guichet.Tests.Infrastructure;

/// <summary>Reads what a browser would submit from a server-rendered page (anti-forgery token, form name).</summary>
public static partial class HtmlForms
{
    [GeneratedRegex("<form[^>]*>(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.Singleline)]
    private static partial Regex HiddenPattern();

    /// <summary>Posts the form whose hidden <c>_handler</c> is <paramref name="formName"/>, with its hidden fields plus <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string pageUrl, string formName, IDictionary<string, string> fields, string? html = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        html ??= await client.GetStringAsync(new Uri(pageUrl, UriKind.Relative));
        var values = HiddenFields(html, formName);
        foreach (var (key, value) in fields)
        {
            values[key] = value;
        }

        using var content = new FormUrlEncodedContent(values);
        return await client.PostAsync(new Uri(pageUrl, UriKind.Relative), content);
    }

    public static Dictionary<string, string> HiddenFields(string html, string formName)
    {
        ArgumentNullException.ThrowIfNull(html);
        foreach (Match form in FormPattern().Matches(html))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match input in HiddenPattern().Matches(form.Groups[1].Value))
            {
                fields[input.Groups["name"].Value] = WebUtility.HtmlDecode(input.Groups["value"].Value);
            }

            if (fields.TryGetValue("_handler", out var handler) && handler == formName)
            {
                return fields;
            }
        }

        throw new InvalidOperationException($"The page has no form named '{formName}'.");
    }
}
