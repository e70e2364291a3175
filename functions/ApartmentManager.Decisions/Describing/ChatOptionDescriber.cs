using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ApartmentManager.Domain;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApartmentManager.Decisions.Describing;

/// <summary>
/// Asks the LLM for a friendlier description of each option. It never touches a number: the simulation record is
/// passed through as is, and a rewrite that contains any figure not present in the template is thrown away (the
/// template stays), so an LLM cannot invent a time, a price or a probability.
/// </summary>
public sealed partial class ChatOptionDescriber(IChatClient chatClient, ILogger<ChatOptionDescriber>? logger = null) : IOptionDescriber
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ILogger _logger = logger ?? NullLogger<ChatOptionDescriber>.Instance;

    public async Task<IReadOnlyList<ResolutionOption>> DescribeAsync(
        ResidentRequest request, IReadOnlyList<ResolutionOption> options, CancellationToken cancellationToken = default)
    {
        var described = new List<ResolutionOption>(options.Count);
        foreach (var option in options)
        {
            described.Add(option with { Description = await RewriteAsync(request, option, cancellationToken).ConfigureAwait(false) });
        }
        return described;
    }

    private async Task<string> RewriteAsync(ResidentRequest request, ResolutionOption option, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var response = await chatClient.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System,
                        "You rewrite one option for resolving an apartment resident's request in two short, friendly sentences " +
                        "addressed to the resident. Use only the facts given. Do not add, change or round any number; you may omit numbers."),
                    new ChatMessage(ChatRole.User, $"Option: {option.Title}\nFacts: {option.Description}"),
                ],
                new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 160 },
                timeout.Token).ConfigureAwait(false);
            string text = response.Text.Trim();
            if (text.Length == 0 || text.Length > 600)
            {
                return option.Description;
            }
            if (!NumbersAreFrom(text, option.Description))
            {
                _logger.LogWarning("Discarded the LLM description of option {OptionId} for request {RequestId}: it introduced a number", option.Id, request.Id);
                return option.Description;
            }
            return text;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "LLM description failed for option {OptionId}; keeping the template", option.Id);
            return option.Description;
        }
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
