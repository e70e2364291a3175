using Microsoft.Extensions.FileProviders;

namespace ApartmentManager.SingleNode.WebApp;

/// <summary>
/// Where the built web app (web/dist, copied into the host's output as <c>webapp/</c>) is served from
/// (configuration section <c>WebApp</c>).
/// </summary>
public sealed class WebAppOptions
{
    public const string Section = "WebApp";

    /// <summary>Serve the web app at <c>/</c>. When off, <c>/</c> redirects to the API reference.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder with <c>index.html</c>; empty = <c>webapp/</c> beside the host's binaries.</summary>
    public string RootPath { get; set; } = "";

    public string ResolveRoot() => string.IsNullOrWhiteSpace(RootPath)
        ? Path.Combine(AppContext.BaseDirectory, "webapp")
        : Path.GetFullPath(RootPath);
}

/// <summary>Serves the web app's static files at <c>/</c>; the API routes stay where they are.</summary>
public static partial class WebAppFiles
{
    public static WebApplication UseWebApp(this WebApplication app)
    {
        var options = app.Configuration.GetSection(WebAppOptions.Section).Get<WebAppOptions>() ?? new WebAppOptions();
        var root = options.ResolveRoot();
        if (!options.Enabled || !File.Exists(Path.Combine(root, "index.html")))
        {
            if (options.Enabled)
            {
                LogWebAppMissing(app.Logger, root);
            }
            app.MapGet("/", () => Results.Redirect("/scalar/v1")).ExcludeFromDescription();
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-cache";
                if (context.File.Name.EndsWith(".html", StringComparison.Ordinal))
                {
                    headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
                }
            },
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The web app was not found in {Root}; '/' redirects to the API reference.")]
    private static partial void LogWebAppMissing(ILogger logger, string root);
}
