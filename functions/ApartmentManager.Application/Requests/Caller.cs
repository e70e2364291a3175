using System.Security.Claims;

namespace ApartmentManager.Application.Requests;

/// <summary>Who is calling, reduced to what authorization needs.</summary>
public sealed record Caller(string Subject, bool IsAdmin, bool IsResident)
{
    public const string AdminRole = "admin";
    public const string ResidentRole = "resident";

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
        return new Caller(subject, principal.IsInRole(AdminRole), principal.IsInRole(ResidentRole));
    }
}
