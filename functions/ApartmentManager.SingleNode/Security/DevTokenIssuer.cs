using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ApartmentManager.SingleNode.Security;

/// <summary>Mints and describes validation of the single-node host's tokens (HS256, sub + role claims).</summary>
public sealed class DevTokenIssuer(SymmetricSecurityKey key, DevAuthOptions options, TimeProvider clock)
{
    public static readonly string[] Roles = ["resident", "admin"];

    public string Mint(string subject, string role, TimeSpan? lifetime = null)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            throw new ArgumentException("A subject is required.", nameof(subject));
        }
        if (!Roles.Contains(role))
        {
            throw new ArgumentException($"Role must be one of {string.Join(", ", Roles)}.", nameof(role));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = now.Add(lifetime ?? options.TokenLifetime),
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = "sub",
        RoleClaimType = "role",
        ClockSkew = TimeSpan.FromMinutes(1),
    };
}
