using Microsoft.Playwright;

namespace Guichet.Browser.Tests.Infrastructure;

/// <summary>
/// Replaces the browser's speech synthesis with a recorder: each utterance "speaks" for a
/// while, then fires its end event. The log shows whether one utterance started while another
/// was still speaking ("OVERLAP") or whether anything was cut short ("cancel").
/// </summary>
public static class FakeSpeech
{
    private const string Script = """
        (() => {
          window.__speech = [];
          if (typeof window.SpeechSynthesisUtterance !== 'function') {
            window.SpeechSynthesisUtterance = class extends EventTarget {
              constructor(text) { super(); this.text = text; }
            };
          }
          const fake = {
            speaking: false, pending: false, paused: false,
            speak(utterance) {
              window.__speech.push('start:' + utterance.text + (this.speaking ? ':OVERLAP' : ''));
              this.speaking = true;
              setTimeout(() => {
                this.speaking = false;
                window.__speech.push('end:' + utterance.text);
                utterance.dispatchEvent(new Event('end'));
              }, 600);
            },
            cancel() { window.__speech.push('cancel'); },
            pause() {}, resume() {}, getVoices() { return []; },
            addEventListener() {}, removeEventListener() {},
          };
          Object.defineProperty(window, 'speechSynthesis', { configurable: true, get: () => fake });
        })();
        """;

    public static Task InstallAsync(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.AddInitScriptAsync(Script);
    }

    /// <summary>Waits until <paramref name="count"/> utterances have ended, then returns the log.</summary>
    public static async Task<IReadOnlyList<string>> WaitForSpokenAsync(IPage page, int count)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.WaitForFunctionAsync(
            "n => window.__speech.filter(e => e.startsWith('end:')).length >= n",
            count,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        return await page.EvaluateAsync<string[]>("() => window.__speech");
    }
}
