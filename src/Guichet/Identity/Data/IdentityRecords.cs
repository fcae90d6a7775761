using Guichet.Privacy.Access;

namespace Guichet.Identity.Data;

internal enum EnrolmentPurpose
{
    /// <summary>Creates the first administrator of a fresh installation.</summary>
    Setup = 0,

    /// <summary>Lets an invited staff member choose a password and enrol a second factor.</summary>
    Enrol = 1,
}

/// <summary>A one-time enrolment or setup link; only the SHA-256 of its secret is stored.</summary>
internal sealed class EnrolmentToken
{
    public Guid Id { get; set; }

    public EnrolmentPurpose Purpose { get; set; }

    public string? UserId { get; set; }

    public byte[] SecretHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public string CreatedBy { get; set; } = "";
}

/// <summary>One signed-in session of a staff member; the cookie carries its id.</summary>
internal sealed class StaffSession
{
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>When the second factor was last proven in this session (step-up refreshes it).</summary>
    public DateTimeOffset SecondFactorAt { get; set; }

    /// <summary>How the second factor was proven: totp, recovery-code, passkey.</summary>
    public string Method { get; set; } = "";

    public string? ClientAddress { get; set; }

    public string? UserAgent { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? EndReason { get; set; }
}

/// <summary>Failed sign-in attempts for one key (an account or a client address).</summary>
internal sealed class SignInThrottle
{
    public string Key { get; set; } = "";

    public int Failures { get; set; }

    public DateTimeOffset LastFailureAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }
}

public enum DeviceKind
{
    Kiosk = 0,
    Display = 1,
}

/// <summary>An enrolled kiosk or display board; only the SHA-256 of its credential is stored.</summary>
internal sealed class EnrolledDevice
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string BranchId { get; set; } = "";

    public DeviceKind Kind { get; set; }

    public byte[] CredentialHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSeenAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A one-time code an administrator gives to a device so it can enrol.</summary>
internal sealed class DeviceEnrolmentCode
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string BranchId { get; set; } = "";

    public DeviceKind Kind { get; set; }

    public byte[] CodeHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public Guid? DeviceId { get; set; }
}

/// <summary>An integration's API key; only the SHA-256 of its secret is stored.</summary>
internal sealed class ApiClientKey
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public StaffRole Role { get; set; }

    public string BranchId { get; set; } = "";

    public byte[] SecretHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The staff account whose freeze also revokes this key, if any.</summary>
    public string? OwnerUserId { get; set; }
}
