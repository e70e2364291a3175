namespace ApartmentManager.SingleNode.Security;

/// <summary>Token settings of the single-node host (configuration section <c>Auth</c>).</summary>
public sealed class DevAuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "apartment-manager-single-node";
    public string Audience { get; set; } = "apartment-manager-api";
    /// <summary>Lifetime of tokens minted by the <c>token</c> command.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
