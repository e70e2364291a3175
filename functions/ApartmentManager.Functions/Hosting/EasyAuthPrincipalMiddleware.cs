using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ApartmentManager.Api.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Functions.Hosting;

/// <summary>
/// Gives HTTP invocations the caller the platform authenticated: App Service authentication validates the Entra ID
/// bearer token and forwards the principal as base64 JSON in <c>x-ms-client-principal</c>; this turns it into
/// <c>HttpContext.User</c>, which the shared handlers authorize against (roles "resident" and "admin").
/// </summary>
public sealed class EasyAuthPrincipalMiddleware(IOptions<EasyAuthOptions> options) : IFunctionsWorkerMiddleware
{
    public const string PrincipalHeader = "x-ms-client-principal";
    private const int MaxHeaderLength = 16 * 1024;

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (options.Value.Enabled && context.GetHttpContext() is { } http && http.User.Identity?.IsAuthenticated != true)
        {
            var header = http.Request.Headers[PrincipalHeader].ToString();
            if (header.Length > 0)
            {
                if (TryRead(header, out var principal))
                {
                    http.User = principal;
                }
                else
                {
                    http.Items[ApiHandler.AuthErrorItem] = "MalformedClientPrincipal";
                }
            }
        }
        return next(context);
    }

    /// <summary>Parses the platform's client-principal header; false for anything malformed (the caller stays anonymous).</summary>
    public static bool TryRead(string header, out ClaimsPrincipal principal)
    {
        principal = new ClaimsPrincipal(new ClaimsIdentity());
        if (header.Length > MaxHeaderLength)
        {
            return false;
        }
        try
        {
            var payload = JsonSerializer.Deserialize(Convert.FromBase64String(header), EasyAuthJsonContext.Default.ClientPrincipal);
            if (payload is not { AuthenticationType: { Length: > 0 } authType, Claims: { } claims })
            {
                return false;
            }
            var identity = new ClaimsIdentity(
                claims.Where(c => c.Type is { Length: > 0 } && c.Value is not null).Select(c => new Claim(c.Type!, c.Value!)),
                authType,
                payload.NameClaimType ?? ClaimTypes.Name,
                payload.RoleClaimType ?? ClaimTypes.Role);
            principal = new ClaimsPrincipal(identity);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    internal sealed record ClientPrincipal(
        [property: JsonPropertyName("auth_typ")] string? AuthenticationType,
        [property: JsonPropertyName("name_typ")] string? NameClaimType,
        [property: JsonPropertyName("role_typ")] string? RoleClaimType,
        [property: JsonPropertyName("claims")] IReadOnlyList<ClientPrincipalClaim>? Claims);

    internal sealed record ClientPrincipalClaim(
        [property: JsonPropertyName("typ")] string? Type,
        [property: JsonPropertyName("val")] string? Value);
}

[JsonSerializable(typeof(EasyAuthPrincipalMiddleware.ClientPrincipal))]
internal sealed partial class EasyAuthJsonContext : JsonSerializerContext;
