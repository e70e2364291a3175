using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Describing;

/// <summary>Keeps the template descriptions (no LLM registered).</summary>
public sealed class NoOptionDescriber : IOptionDescriber
{
    public static readonly NoOptionDescriber Instance = new();

    public Task<IReadOnlyList<ResolutionOption>> DescribeAsync(ResidentRequest request, IReadOnlyList<ResolutionOption> options, CancellationToken cancellationToken = default) =>
        Task.FromResult(options);
}
