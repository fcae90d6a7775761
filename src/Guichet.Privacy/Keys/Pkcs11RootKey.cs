using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Guichet.Privacy.Keys;

/// <summary>
/// Root key held in a PKCS#11 token (an HSM; SoftHSM2 in tests). The AES-256 key is generated
/// inside the token as sensitive and non-extractable; wrapping and unwrapping are AES-GCM
/// operations performed by the token, so the root key never reaches this process.
/// </summary>
/// <remarks>
/// One session serves every call under a lock: the token is used only to unwrap data keys,
/// which the key ring then caches, so there is no token call per protected field.
/// </remarks>
internal sealed class Pkcs11RootKey : IRootKey
{
    private const byte FormatVersion = 0x02;
    private const int NonceSize = 12;
    private const int TagBits = 128;

    private readonly Lock _gate = new();
    private readonly IPkcs11Library _library;
    private readonly ISession _session;
    private readonly IObjectHandle _key;
    private readonly string _tokenLabel;

    private Pkcs11RootKey(IPkcs11Library library, ISession session, IObjectHandle key, string tokenLabel)
    {
        _library = library;
        _session = session;
        _key = key;
        _tokenLabel = tokenLabel;
    }

    public string Description => $"PKCS#11 token '{_tokenLabel}'";

    public bool IsUnsealedFile => false;

    /// <summary>Opens the token by label, logs in, and finds (or generates) the root key.</summary>
    public static Pkcs11RootKey Open(string modulePath, string tokenLabel, string pin, string keyLabel)
    {
        if (!File.Exists(modulePath))
        {
            throw new KeyProviderException($"The PKCS#11 module {modulePath} does not exist (Privacy:Pkcs11:Module).");
        }

        NativeLibraryResolver.Register();
        var factories = new Pkcs11InteropFactories();
        IPkcs11Library library;
        try
        {
            library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, modulePath, AppType.MultiThreaded);
        }
        catch (Exception ex) when (ex is Pkcs11Exception or UnmanagedException or DllNotFoundException)
        {
            throw new KeyProviderException($"The PKCS#11 module {modulePath} could not be loaded.", ex);
        }

        ISession? session = null;
        try
        {
            var slot = library.GetSlotList(SlotsType.WithTokenPresent)
                .FirstOrDefault(candidate => string.Equals(candidate.GetTokenInfo().Label.Trim(), tokenLabel, StringComparison.Ordinal))
                ?? throw new KeyProviderException($"No PKCS#11 token labelled '{tokenLabel}' is present in {modulePath} (Privacy:Pkcs11:TokenLabel).");
            session = slot.OpenSession(SessionType.ReadWrite);
            Login(session, pin, tokenLabel);
            var key = FindOrCreateKey(session, keyLabel);
            return new Pkcs11RootKey(library, session, key, tokenLabel);
        }
        catch
        {
            session?.Dispose();
            library.Dispose();
            throw;
        }
    }

    public byte[] Wrap(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> context)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        byte[] sealedData;
        lock (_gate)
        {
            var mechanism = GcmMechanism(nonce, context);
            sealedData = _session.Encrypt(mechanism, _key, secret.ToArray());
        }

        var output = new byte[1 + NonceSize + sealedData.Length];
        output[0] = FormatVersion;
        nonce.CopyTo(output, 1);
        sealedData.CopyTo(output, 1 + NonceSize);
        return output;
    }

    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context)
    {
        if (wrapped.Length < 1 + NonceSize + (TagBits / 8) || wrapped[0] != FormatVersion)
        {
            throw new CryptographicException("The wrapped key was not produced by a PKCS#11 root key.");
        }

        try
        {
            lock (_gate)
            {
                var mechanism = GcmMechanism(wrapped.Slice(1, NonceSize).ToArray(), context);
                return _session.Decrypt(mechanism, _key, wrapped[(1 + NonceSize)..].ToArray());
            }
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_ENCRYPTED_DATA_INVALID or CKR.CKR_ENCRYPTED_DATA_LEN_RANGE or CKR.CKR_GENERAL_ERROR or CKR.CKR_FUNCTION_FAILED)
        {
            throw new CryptographicException("The wrapped key does not authenticate under the token's root key.", ex);
        }
    }

    /// <summary>The key's protection flags as the token reports them (for tests and <c>keys status</c>).</summary>
    internal (bool Sensitive, bool Extractable) KeyAttributes()
    {
        lock (_gate)
        {
            var values = _session.GetAttributeValue(_key, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE]);
            return (values[0].GetValueAsBool(), values[1].GetValueAsBool());
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                _session.Logout();
            }
            catch (Pkcs11Exception)
            {
                // Already logged out or the token went away; closing the session is what matters.
            }

            _session.Dispose();
            _library.Dispose();
        }
    }

    private IMechanism GcmMechanism(byte[] nonce, ReadOnlySpan<byte> context)
    {
        var parameters = _session.Factories.MechanismParamsFactory.CreateCkGcmParams(nonce, NonceSize * 8, context.ToArray(), TagBits);
        return _session.Factories.MechanismFactory.Create(CKM.CKM_AES_GCM, parameters);
    }

    private static void Login(ISession session, string pin, string tokenLabel)
    {
        try
        {
            session.Login(CKU.CKU_USER, pin);
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LEN_RANGE)
        {
            throw new KeyProviderException($"The PIN for PKCS#11 token '{tokenLabel}' is wrong (Privacy:Pkcs11:PinFile).", ex);
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_PIN_LOCKED)
        {
            throw new KeyProviderException($"The PKCS#11 token '{tokenLabel}' has locked its user PIN; unlock it with the security officer PIN.", ex);
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_USER_PIN_NOT_INITIALIZED)
        {
            throw new KeyProviderException($"The PKCS#11 token '{tokenLabel}' has no user PIN yet; initialize it first.", ex);
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // Another session of this process logged in: the login state is per token.
        }
    }

    private static IObjectHandle FindOrCreateKey(ISession session, string keyLabel)
    {
        var attributes = session.Factories.ObjectAttributeFactory;
        var search = new List<IObjectAttribute>
        {
            attributes.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            attributes.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
            attributes.Create(CKA.CKA_LABEL, keyLabel),
        };
        var found = session.FindAllObjects(search);
        if (found.Count > 1)
        {
            throw new KeyProviderException($"The PKCS#11 token holds {found.Count} AES keys labelled '{keyLabel}'; keep exactly one.");
        }

        if (found.Count == 1)
        {
            return found[0];
        }

        var template = new List<IObjectAttribute>
        {
            attributes.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            attributes.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
            attributes.Create(CKA.CKA_LABEL, keyLabel),
            attributes.Create(CKA.CKA_VALUE_LEN, 32UL),
            attributes.Create(CKA.CKA_TOKEN, true),
            attributes.Create(CKA.CKA_PRIVATE, true),
            attributes.Create(CKA.CKA_SENSITIVE, true),
            attributes.Create(CKA.CKA_EXTRACTABLE, false),
            attributes.Create(CKA.CKA_ENCRYPT, true),
            attributes.Create(CKA.CKA_DECRYPT, true),
            attributes.Create(CKA.CKA_WRAP, false),
            attributes.Create(CKA.CKA_UNWRAP, false),
        };
        return session.GenerateKey(session.Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN), template);
    }

    /// <summary>
    /// Pkcs11Interop imports <c>dlopen</c> from "libdl", which Debian 12 ships only as
    /// libdl.so.2 (the unversioned name comes with development packages).
    /// </summary>
    private static class NativeLibraryResolver
    {
        private static int s_registered;

        public static void Register()
        {
            if (OperatingSystem.IsWindows() || Interlocked.Exchange(ref s_registered, 1) == 1)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, Resolve);
        }

        private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName == "libdl" && NativeLibrary.TryLoad("libdl.so.2", out var handle))
            {
                return handle;
            }

            return IntPtr.Zero;
        }
    }
}
