namespace Guichet.Privacy.Access;

/// <summary>
/// The roles of DESIGN §1. They live in the kernel because what a role sees of personal
/// data (masked, revealable, nothing) is the kernel's policy; the host maps each role to
/// its permissions and branch scope.
/// </summary>
public enum StaffRole
{
    CounterStaff,
    ServiceAgent,
    QualityInspector,
    BranchManager,
    PrivacyOfficer,
    SecurityAuditor,
    Administrator,
    Operator,
}
