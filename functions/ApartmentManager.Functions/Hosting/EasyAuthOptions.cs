namespace ApartmentManager.Functions.Hosting;

/// <summary>
/// Whether to trust the platform's authentication (App Service "Easy Auth", configuration section <c>EasyAuth</c>).
/// </summary>
public sealed class EasyAuthOptions
{
    public const string Section = "EasyAuth";

    /// <summary>
    /// Read the caller from the <c>x-ms-client-principal</c> header. Turn on only where the platform's authentication is
    /// enabled: the platform then validates the bearer token and strips any such header a client sends itself.
    /// Anywhere else the header is forgeable, so it is off by default and every API call answers 401.
    /// </summary>
    public bool Enabled { get; set; }
}
