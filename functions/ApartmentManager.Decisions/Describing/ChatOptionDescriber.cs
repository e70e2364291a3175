using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ApartmentManager.Domain;
using ApartmentManager.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApartmentManager.Decisions.Describing;

/// <summary>
/// Asks the LLM (the option-description route, with the versioned <c>option-description</c> prompt) for a friendlier
/// description of each option. It never touches a number: the simulation record is passed through as is, and a
/// rewrite that contains any figure not present in the template is refused (the next model of the route is tried, then
/// the template stays), so an LLM cannot invent a time, a price or a probability. A rewritten option records the
/// prompt's id and version.
/// </summary>
public sealed partial class ChatOptionDescriber(ILlmRouter router, PromptCatalog prompts, ILogger<ChatOptionDescriber>? logger = null) : IOptionDescriber
{
    public const string PromptId = "option-description";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ILogger _logger = logger ?? NullLogger<ChatOptionDescriber>.Instance;

    /// <summary>Over one chat client, with the shipped prompts.</summary>
    public ChatOptionDescriber(IChatClient chatClient, ILogger<ChatOptionDescriber>? logger = null)
        : this(LlmRouter.ForClient(chatClient), PromptCatalog.Default, logger)
    {
    }

    public async Task<IReadOnlyList<ResolutionOption>> DescribeAsync(
        ResidentRequest request, IReadOnlyList<ResolutionOption> options, CancellationToken cancellationToken = default)
    {
        var described = new List<ResolutionOption>(options.Count);
        foreach (var option in options)
        {
            described.Add(await RewriteAsync(request, option, cancellationToken).ConfigureAwait(false));
        }
        return described;
    }

    private async Task<ResolutionOption> RewriteAsync(ResidentRequest request, ResolutionOption option, CancellationToken cancellationToken)
    {
        var result = await router.CompleteAsync(new LlmCall(LlmTasks.OptionDescription, prompts.Get(PromptId),
            new Dictionary<string, string> { ["title"] = option.Title, ["facts"] = option.Description },
            new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 160 }, Timeout,
            text => text.Length <= 600 && NumbersAreFrom(text, option.Description)), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            _logger.LogWarning("Kept the template description of option {OptionId} for request {RequestId}: {Reason}", option.Id, request.Id, result.FailureReason);
            return option;
        }
        return option with { Description = result.Text!, DescriptionPrompt = result.Prompt };
    }

    /// <summary>True when every number in <paramref name="text"/> also appears in <paramref name="source"/>.</summary>
    internal static bool NumbersAreFrom(string text, string source)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Number().Matches(source))
        {
            allowed.Add(Normalize(m.Value));
        }
        foreach (Match m in Number().Matches(text))
        {
            if (!allowed.Contains(Normalize(m.Value)))
            {
                return false;
            }
        }
        return true;
    }

    private static string Normalize(string number)
    {
        var sb = new StringBuilder(number.Length);
        foreach (char c in number)
        {
            if (c != ',')
            {
                sb.Append(c);
            }
        }
        return double.TryParse(sb.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v.ToString("R", CultureInfo.InvariantCulture)
            : sb.ToString();
    }

    [GeneratedRegex(@"\d[\d,]*(?:\.\d+)?")]
    private static partial Regex Number();
}
