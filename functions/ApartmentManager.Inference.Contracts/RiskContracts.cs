using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Risk;

namespace ApartmentManager.Inference.Contracts;

/// <summary>POST /v1/risk: rows of <see cref="RiskFeatures"/> (enums as snake_case strings, unknown values null).</summary>
public sealed record RiskRequest(IReadOnlyList<RiskFeatures?>? Rows);

/// <summary>One <see cref="RiskAssessment"/> per row, in request order, with the top contributing factors.</summary>
public sealed record RiskResponse(string Model, string ModelVersion, IReadOnlyList<RiskAssessment> Results);
