using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Describing;

/// <summary>Rewrites option descriptions for the resident. Implementations may change only <c>Description</c>.</summary>
public interface IOptionDescriber
{
    Task<IReadOnlyList<ResolutionOption>> DescribeAsync(ResidentRequest request, IReadOnlyList<ResolutionOption> options, CancellationToken cancellationToken = default);
}
