using System.Text.RegularExpressions;
using ApartmentManager.Api.Http;
using ApartmentManager.Application.Requests;
using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Learning;
using Microsoft.AspNetCore.Http;

namespace ApartmentManager.Api.Admin;

/// <summary>
/// The learning engine's admin routes: run learning now, list the parameter sets with their evaluations, activate a
/// version (roll back, or "priors"), and export the outcome data set as JSON lines.
/// </summary>
public static partial class LearningHandlers
{
    public const string JsonLines = "application/x-ndjson";

    /// <summary><c>POST /api/v1/admin/learning/run</c> → <c>{ version, adopted, evaluation, message, outcomes }</c>.</summary>
    public static Task<IResult> Run(HttpContext context, LearningEngine engine, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
            TypedResults.Json(await engine.RunAsync(caller, ct), ApiJsonContext.Default.LearningRunResult));

    /// <summary><c>GET /api/v1/admin/learning</c>: the active version and every parameter set, newest first.</summary>
    public static Task<IResult> List(HttpContext context, LearningEngine engine, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
            TypedResults.Json(await engine.ListAsync(caller, ct), ApiJsonContext.Default.LearningOverview));

    /// <summary><c>POST /api/v1/admin/learning/{version}/activate</c>: makes a version (or <c>priors</c>) active.</summary>
    public static Task<IResult> Activate(HttpContext context, string version, LearningEngine engine, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            if (!caller.IsAdmin)
            {
                throw new ForbiddenException("Learning needs the admin role.");
            }
            if (version != LearnedParameters.PriorsVersion && !VersionPattern().IsMatch(version))
            {
                throw new ValidationFailedException(new Dictionary<string, string[]>
                {
                    ["version"] = [$"A parameter set version such as 'v3', or '{LearnedParameters.PriorsVersion}' for the configured priors."],
                });
            }
            return TypedResults.Json(await engine.ActivateAsync(caller, version, ct), ApiJsonContext.Default.ActiveParameters);
        });

    /// <summary><c>GET /api/v1/admin/learning/outcomes</c>: the outcome data set, one JSON object per line, oldest first.</summary>
    public static Task<IResult> Outcomes(HttpContext context, LearningEngine engine, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var buffer = new MemoryStream();
            await engine.ExportAsync(caller, buffer, ct);
            buffer.Position = 0;
            return TypedResults.Stream(buffer, JsonLines, "outcomes.jsonl");
        });

    [GeneratedRegex("^v[1-9][0-9]{0,8}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
