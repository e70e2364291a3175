using System.Text.Json;
using ApartmentManager.Application.Requests;
using ApartmentManager.Learning;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.SingleNode;

/// <summary>
/// <c>learn [run | list | activate &lt;version&gt; | export &lt;file&gt;]</c>: the learning engine on the host's own data
/// directory and configuration, without starting the server. Whoever can run this can read the data directory, so it
/// acts as an admin ("admin:cli" in the audit trail).
/// </summary>
internal static class LearnCommand
{
    private static readonly Caller Operator = new("cli", IsAdmin: true, IsResident: false);

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "run";
        var rest = args.Length > 0 && args[0] == verb ? args[1..] : args;
        string? operand = rest.Length > 0 && !rest[0].StartsWith("--", StringComparison.Ordinal) ? rest[0] : null;
        if (operand is not null)
        {
            rest = rest[1..];
        }
        if (verb is not ("run" or "list" or "activate" or "export") || (verb is "activate" or "export" && operand is null))
        {
            Console.Error.WriteLine("usage: learn [run | list | activate <version|priors> | export <file.jsonl>] [--Storage:DataDirectory <dir>]");
            return 2;
        }

        await using var app = SingleNodeApp.Build(rest);
        var engine = app.Services.GetRequiredService<LearningEngine>();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, TypeInfoResolver = Api.Http.ApiJsonContext.Default };
        try
        {
            switch (verb)
            {
                case "run":
                    var result = await engine.RunAsync(Operator, CancellationToken.None);
                    Console.WriteLine(JsonSerializer.Serialize(result, json));
                    return 0;
                case "list":
                    Console.WriteLine(JsonSerializer.Serialize(await engine.ListAsync(Operator, CancellationToken.None), json));
                    return 0;
                case "activate":
                    Console.WriteLine(JsonSerializer.Serialize(await engine.ActivateAsync(Operator, operand!, CancellationToken.None), json));
                    return 0;
                default:
                    await using (var file = File.Create(operand!))
                    {
                        var count = await engine.ExportAsync(Operator, file, CancellationToken.None);
                        Console.WriteLine($"wrote {count} outcomes to {Path.GetFullPath(operand!)}");
                    }
                    return 0;
            }
        }
        catch (UnknownParameterSetException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
