using BenchmarkDotNet.Attributes;
using Guichet.Privacy.Access;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Indexing;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Masking;
using Guichet.Privacy.Protection;

namespace Guichet.Benchmarks.Privacy;

/// <summary>
/// The privacy kernel's per-field costs with keys already unwrapped and cached, as on a
/// running server: protect a phone (normalize + encrypt + full and last-four blind indexes),
/// unprotect it, compute a search index, mask it.
/// </summary>
[MemoryDiagnoser]
public class PrivacyKernelBenchmarks
{
    private const string RawPhone = "138 0013 8000";
    private const string E164 = "+8613800138000";
    private static readonly FieldRef Field = new("ticket", "phone", "123456");
    private static readonly KeyScope Subject = KeyScope.Subject("customer-123456");

    private BenchKernel _kernel = null!;
    private PersonalDataProtector _protector = null!;
    private DataKey _dataKey = null!;
    private BlindIndexKey _indexKey = null!;
    private byte[] _ciphertext = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _kernel = await BenchKernel.CreateAsync();
        _protector = _kernel.Get<PersonalDataProtector>();
        _ciphertext = (await _protector.ProtectPhoneAsync(RawPhone, Field, Subject)).Ciphertext;
        _dataKey = await _kernel.Get<KeyRing>().GetCurrentAsync(Subject);
        _indexKey = await _kernel.Get<BlindIndexer>().GetKeyAsync("ticket", "phone", PhoneIndexes.Full);
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _kernel.DisposeAsync();

    [Benchmark(Description = "protect phone (normalize + encrypt + 2 blind indexes)")]
    public ValueTask<ProtectedPhone> ProtectPhone() => _protector.ProtectPhoneAsync(RawPhone, Field, Subject);

    [Benchmark(Description = "unprotect phone (decrypt)")]
    public ValueTask<string> UnprotectPhone() => _protector.UnprotectAsync(_ciphertext, Field, CancellationToken.None);

    [Benchmark(Description = "masked view for counter staff (decrypt + mask)")]
    public ValueTask<MaskedField> MaskPhone() => _protector.MaskAsync(PersonalDataCategory.Phone, _ciphertext, Field, StaffRole.CounterStaff);

    [Benchmark(Description = "search index from typed phone (normalize + HMAC)")]
    public ValueTask<byte[]> PhoneSearchIndex() => _protector.PhoneIndexAsync(RawPhone, "ticket", "phone");

    [Benchmark(Description = "normalize phone to E.164 (libphonenumber)")]
    public string NormalizePhone() => Phones.ToE164(RawPhone, "CN");

    [Benchmark(Description = "encrypt only (AES-256-GCM, cached key)")]
    public byte[] EncryptOnly() => _dataKey.EncryptString(E164, Field);

    [Benchmark(Description = "blind index only (HMAC-SHA256, per-thread instance)")]
    public byte[] BlindIndexOnly() => _indexKey.Compute(E164, PhoneIndexes.FullLength);

    [Benchmark(Description = "mask only (E.164 → 138****8000)")]
    public string MaskOnly() => Masks.Phone(E164);
}
