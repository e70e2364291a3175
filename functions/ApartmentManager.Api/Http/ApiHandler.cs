using ApartmentManager.Application.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Api.Http;

/// <summary>
/// The frame every authenticated handler runs in, in every host: resolve the caller (401 if none), run the handler,
/// and turn the application's exceptions into problem+json. Hostile or malformed input must never become a 5xx.
/// </summary>
public static class ApiHandler
{
    /// <summary>HttpContext item where a host's authentication puts why a presented token was refused.</summary>
    public const string AuthErrorItem = "apartment-manager.auth-error";

    public static async Task<IResult> Run(HttpContext context, Func<Caller, Task<IResult>> handler)
    {
        if (Refusal(context) is { } refused)
        {
            return refused;
        }
        var caller = Caller.From(context.User)!;
        // Audit entries written by the handler carry this call's correlation id.
        ApartmentManager.Application.Audit.CorrelationContext.Current = CorrelationId.Get(context);
        try
        {
            using var llmCaller = ApartmentManager.Intelligence.Llm.LlmCaller.Begin(caller.Subject); // LLM budget per subject
            return await handler(caller);
        }
        catch (Exception e) when (Problems.FromException(context, e) is { } problem)
        {
            context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("ApartmentManager.Api")
                .LogInformation("Request refused: {Reason}", e.Message);
            return problem;
        }
    }

    /// <summary>
    /// Why the call may not run at all — 401 without a caller, 403 for a caller with no app role — or null. A host that
    /// resolves a handler's services itself asks this first, so an unauthorised call builds nothing.
    /// </summary>
    public static IResult? Refusal(HttpContext context)
    {
        var caller = Caller.From(context.User);
        if (caller is null)
        {
            var detail = context.Items[AuthErrorItem] is string reason
                ? $"The bearer token was refused ({reason.Replace("Exception", "", StringComparison.Ordinal)}). Mint a new one."
                : Problems.DefaultDetail(401);
            return Problems.Create(context, 401, detail, "unauthorized");
        }
        if (!caller.HasRole)
        {
            // Authenticated, but Entra ID gave the token no app role: never treat it as a resident.
            return Problems.Create(context, 403,
                $"The caller has no role: assign the app role '{Caller.ResidentRole}' or '{Caller.AdminRole}'.", "forbidden");
        }
        return null;
    }
}
