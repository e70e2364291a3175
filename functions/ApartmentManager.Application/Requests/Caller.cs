using System.Security.Claims;

namespace ApartmentManager.Application.Requests;

/// <summary>
/// Who is calling, reduced to what authorization needs. The role names are the same everywhere (Entra ID app roles, the
/// API Management policy, the code): <c>resident</c> and <c>admin</c>, compared case-insensitively, so the app roles
/// may be spelled <c>Resident</c> and <c>Admin</c>. A caller with neither role is authenticated but may do nothing.
/// </summary>
public sealed record Caller(string Subject, bool IsAdmin, bool IsResident)
{
    public const string AdminRole = "admin";
    public const string ResidentRole = "resident";

    /// <summary>The claim type Entra ID tokens (and App Service's client principal) carry app roles in.</summary>
    public const string RolesClaimType = "roles";

    /// <summary>True when the caller holds at least one role; every authenticated route needs one.</summary>
    public bool HasRole => IsAdmin || IsResident;

    /// <summary>How the caller appears in a request's history.</summary>
    public string Actor => IsAdmin ? $"admin:{Subject}" : Subject;

    /// <summary>A resident sees only their own requests; an admin sees all.</summary>
    public bool CanSee(string residentId) => IsAdmin || (IsResident && string.Equals(Subject, residentId, StringComparison.Ordinal));

    public static Caller? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var subject = principal.FindFirst("sub")?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (string.IsNullOrWhiteSpace(subject))
        {
            return null;
        }
        return new Caller(subject, HasRoleClaim(principal, AdminRole), HasRoleClaim(principal, ResidentRole));
    }

    /// <summary>
    /// A role claim of the identity's role type, of <see cref="ClaimTypes.Role"/> or of the raw <c>roles</c> type,
    /// whose value equals <paramref name="role"/> ignoring case.
    /// </summary>
    private static bool HasRoleClaim(ClaimsPrincipal principal, string role) =>
        principal.Identities.Any(identity => identity.Claims.Any(c =>
            (c.Type == identity.RoleClaimType || c.Type == ClaimTypes.Role || c.Type == RolesClaimType)
            && string.Equals(c.Value, role, StringComparison.OrdinalIgnoreCase)));
}
