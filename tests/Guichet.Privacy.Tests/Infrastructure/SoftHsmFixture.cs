using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Guichet.Privacy.Tests.Infrastructure;

/// <summary>
/// A private SoftHSM2 token for the PKCS#11 tests: its own configuration file and token
/// folder, initialized with softhsm2-util (installed by scripts/install-test-dependencies.sh).
/// </summary>
public sealed partial class SoftHsmFixture : IDisposable
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string TokenLabel = "guichet-test";
    public const string Pin = "246810";
    private const string SecurityOfficerPin = "13579135";

    private readonly TempDirectory _directory = new();

    public SoftHsmFixture()
    {
        var tokens = _directory.Combine("tokens");
        Directory.CreateDirectory(tokens);
        var configuration = _directory.Combine("softhsm2.conf");
        File.WriteAllText(configuration, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        PinFile = _directory.Combine("pin.txt");
        File.WriteAllText(PinFile, Pin + "\n");
        WrongPinFile = _directory.Combine("wrong-pin.txt");
        File.WriteAllText(WrongPinFile, "000000\n");

        // SoftHSM reads SOFTHSM2_CONF with getenv(3) when the module initializes; .NET's
        // Environment.SetEnvironmentVariable does not reach the native environment.
        if (SetNativeEnvironment("SOFTHSM2_CONF", configuration, 1) != 0)
        {
            throw new InvalidOperationException("setenv failed");
        }

        var start = new ProcessStartInfo("softhsm2-util", ["--init-token", "--free", "--label", TokenLabel, "--so-pin", SecurityOfficerPin, "--pin", Pin])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SOFTHSM2_CONF"] = configuration;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("softhsm2-util did not start");
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"softhsm2-util --init-token failed ({process.ExitCode}): {error}");
        }
    }

    public string PinFile { get; }

    public string WrongPinFile { get; }

    public void Dispose() => _directory.Dispose();

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNativeEnvironment(string name, string value, int overwrite);
}

[CollectionDefinition(Name)]
public sealed class SoftHsmTokenGroup : ICollectionFixture<SoftHsmFixture>
{
    public const string Name = "SoftHSM token";
}
