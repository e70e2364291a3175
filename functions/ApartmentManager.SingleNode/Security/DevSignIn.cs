using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using ApartmentManager.Api.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ApartmentManager.SingleNode.Security;

/// <summary>
/// The web app's development sign-in (configuration section <c>DevSignIn</c>). Single node only: the Functions app
/// has no such endpoint. <see cref="Enabled"/> unset means "on only while every address the host listens on is a
/// loopback address", so a host exposed on a network never hands out tokens unless someone turned that on.
/// </summary>
public sealed class DevSignInOptions
{
    public const string Section = "DevSignIn";

    public bool? Enabled { get; set; }

    /// <summary>Lifetime of a token handed to the sign-in page.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>Body of <c>POST /dev/token</c>.</summary>
public sealed record DevTokenBody(string? Subject, string? Role);

/// <summary>What <c>POST /dev/token</c> answers: a bearer token for the API (kept by the page in memory/session storage, never in a URL).</summary>
public sealed record DevTokenAnswer(string AccessToken, string Subject, string Role, DateTimeOffset ExpiresAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DevTokenBody))]
[JsonSerializable(typeof(DevTokenAnswer))]
internal sealed partial class DevSignInJsonContext : JsonSerializerContext;

/// <summary><c>POST /dev/token</c>: mints a single-node token for a chosen resident id or the admin role.</summary>
public static class DevSignInEndpoint
{
    public const string Path = "/dev/token";

    public static IEndpointRouteBuilder MapDevSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, Mint).ExcludeFromDescription();
        return app;
    }

    /// <summary>True when the configuration turns it on, or leaves it unset and every listen address is loopback.</summary>
    public static bool IsEnabled(DevSignInOptions options, IEnumerable<string> listenAddresses) =>
        options.Enabled ?? listenAddresses.All(IsLoopbackAddress);

    public static bool IsLoopbackAddress(string address)
    {
        if (!Uri.TryCreate(address.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal),
                UriKind.Absolute, out var uri))
        {
            return false;
        }
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    private static async Task<IResult> Mint(HttpContext context, IServer server, IOptions<DevSignInOptions> options,
        DevTokenIssuer issuer, TimeProvider clock, CancellationToken ct)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (!IsEnabled(options.Value, addresses))
        {
            return Problems.Create(context, StatusCodes.Status404NotFound,
                "Development sign-in is off on this host (it listens beyond loopback). Set DevSignIn:Enabled=true to allow it, or mint a token with the 'token' command.");
        }
        var body = await JsonBody.ReadAsync(context, DevSignInJsonContext.Default.DevTokenBody, ct);
        if (body.Problem is not null)
        {
            return body.Problem;
        }
        var subject = body.Value!.Subject?.Trim() ?? "";
        var role = body.Value.Role?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (!DevTokenIssuer.Roles.Contains(role))
        {
            errors["role"] = [$"Choose one of: {string.Join(", ", DevTokenIssuer.Roles)}."];
        }
        if (subject.Length is 0 or > 64 || subject.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@')))
        {
            errors["subject"] = ["Enter an id of 1 to 64 letters, digits, '-', '_', '.' or '@' (for example resident-42)."];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(context, errors);
        }
        var lifetime = options.Value.TokenLifetime;
        var token = issuer.Mint(subject, role, lifetime);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new DevTokenAnswer(token, subject, role, clock.GetUtcNow().Add(lifetime)),
            DevSignInJsonContext.Default.DevTokenAnswer);
    }
}
