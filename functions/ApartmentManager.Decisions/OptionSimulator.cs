using System.Diagnostics;
using System.Globalization;
using ApartmentManager.Application.Ports;
using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Decisions.Describing;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Decisions.Simulation;
using ApartmentManager.Domain;
using ApartmentManager.Observability.Usage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Decisions;

/// <summary>Generates the options for a request, simulates each on its own seeded stream, and cites the policies behind them.</summary>
public sealed class OptionSimulator : IOptionSimulator
{
    private const int CitationsPerOption = 3;

    private readonly IOptionsMonitor<DecisionOptions> _options;
    private readonly IPolicyRetriever? _retriever;
    private readonly IOptionDescriber? _describer;
    private readonly ILogger<OptionSimulator> _logger;
    private readonly ICalibrationSource _calibration;

    public OptionSimulator(
        IOptionsMonitor<DecisionOptions> options,
        IPolicyRetriever? retriever = null,
        IOptionDescriber? describer = null,
        ILogger<OptionSimulator>? logger = null,
        ICalibrationSource? calibration = null)
    {
        _options = options;
        _retriever = retriever;
        _describer = describer;
        _logger = logger ?? NullLogger<OptionSimulator>.Instance;
        _calibration = calibration ?? PriorsOnlyCalibrationSource.Instance;
    }

    public async Task<IReadOnlyList<ResolutionOption>> SimulateAsync(
        ResidentRequest request, SimulationSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        settings ??= new SimulationSettings();
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidSimulationSettingsException(errors);
        }
        if (request.Classification is null || request.Risk is null)
        {
            throw new RequestNotReadyException($"Request '{request.Id}' must be classified and risk-scored before its options can be simulated.");
        }

        var policy = _options.CurrentValue;
        var calibration = await _calibration.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        var templates = OptionGenerators.GenerateAll(CreateContext(request, policy));
        for (int i = 0; i < templates.Count; i++)
        {
            templates[i] = CalibrationApplier.Apply(templates[i], request.Classification.Category, request.Classification.Urgency, calibration);
        }
        var parameters = CreateParameters(request, settings, policy);
        var summaries = new SimulationSummary[templates.Count];

        var stopwatch = Stopwatch.StartNew();
        long cpuTicks = 0;
        // Each option runs on one thread from start to end, so that thread's CPU clock measures it exactly.
        void RunOption(int i)
        {
            var cpu = ThreadCpuTime.Now();
            summaries[i] = MonteCarloEngine.Run(templates[i].Model, StreamFor(parameters, templates[i].Kind));
            Interlocked.Add(ref cpuTicks, (ThreadCpuTime.Now() - cpu).Ticks);
        }
        if (policy.Simulation.Parallel && templates.Count > 1)
        {
            Parallel.For(0, templates.Count, new ParallelOptions { CancellationToken = cancellationToken }, RunOption);
        }
        else
        {
            for (int i = 0; i < templates.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunOption(i);
            }
        }
        stopwatch.Stop();
        UsageRecorder.Current?.AddSimulationCpu(TimeSpan.FromTicks(Interlocked.Read(ref cpuTicks)));

        var sla = policy.Sla.For(request.Classification.Urgency);
        var options = new List<ResolutionOption>(templates.Count);
        for (int i = 0; i < templates.Count; i++)
        {
            var template = templates[i];
            var simulation = ToSimulation(template, summaries[i], request.Classification.Urgency, sla, policy) with
            {
                ParametersVersion = calibration?.Version ?? LearnedParameters.PriorsVersion,
            };
            options.Add(new ResolutionOption(
                template.Kind, template.Kind, template.Title,
                OptionDescriptions.Template(template.Summary, simulation),
                simulation, Cite(template.PolicyQuery, request), template.Amount));
        }

        _logger.LogInformation(
            "Simulated {OptionCount} options for request {RequestId} ({Runs} runs each, seed {Seed}) in {ElapsedMs:0.0} ms",
            options.Count, request.Id, parameters.Runs, parameters.Seed, stopwatch.Elapsed.TotalMilliseconds);

        if (settings.Describe && _describer is not null)
        {
            return await _describer.DescribeAsync(request, options, cancellationToken).ConfigureAwait(false);
        }
        return options;
    }

    internal static GenerationContext CreateContext(ResidentRequest request, DecisionOptions policy)
    {
        var classification = request.Classification!;
        var risk = request.Risk!;
        return new GenerationContext(
            classification.Category, classification.Urgency, Math.Clamp(risk.Probability, 0, 1), risk.Level, request.Message,
            policy.Sla.For(classification.Urgency), policy, ResidentCauseEvidence.Find(request));
    }

    internal static RunParameters CreateParameters(ResidentRequest request, SimulationSettings settings, DecisionOptions policy)
    {
        return new RunParameters(
            settings.Runs ?? policy.Simulation.Runs,
            settings.Seed ?? policy.Simulation.Seed,
            settings.StartHourOfDay ?? request.CreatedAt.TimeOfDay.TotalHours,
            HazardPerHour(request.Risk!.Probability, request.Classification!.Urgency, policy));
    }

    /// <summary>The escalation hazard while waiting: -ln(1 - p) / horizon for the urgency.</summary>
    internal static double HazardPerHour(double riskProbability, Urgency urgency, DecisionOptions policy)
    {
        // p is clamped away from 1 so the hazard stays finite for a model that is (over)certain.
        double p = Math.Clamp(riskProbability, 0.0005, 0.995);
        return -Math.Log(1 - p) / policy.Simulation.HorizonFor(urgency);
    }

    internal static RunParameters StreamFor(in RunParameters parameters, string kind) =>
        parameters with { Seed = Xoshiro256.DeriveSeed(parameters.Seed, kind) };

    /// <summary>
    /// Evaluates the rules that depend on the simulation (and on the option itself) once, as coded findings: the notes
    /// carry their sentences for people, <see cref="OptionSimulation.Violations"/> their codes for the constraints.
    /// </summary>
    internal static OptionSimulation ToSimulation(OptionTemplate template, in SimulationSummary s, Urgency urgency, Sla sla, DecisionOptions policy)
    {
        var notes = new List<string>();
        var violations = new List<PolicyFinding>();
        void Violate(string code, string detail)
        {
            violations.Add(new PolicyFinding(code, detail));
            notes.Add(detail);
        }
        string urgencyName = urgency.ToString().ToLowerInvariant();

        if (s.ResponseP90 <= sla.OnSiteHours)
        {
            notes.Add(Invariant($"9 in 10 runs act on it within {s.ResponseP90:0.0} h, inside the {urgencyName} on-site SLA of {sla.OnSiteHours:0.#} h."));
        }
        else
        {
            Violate(PolicyCodes.OnSiteSlaExceeded,
                Invariant($"p90 time until it is acted on is {s.ResponseP90:0.0} h, beyond the {urgencyName} on-site SLA of {sla.OnSiteHours:0.#} h."));
        }
        if (urgency == Urgency.Emergency && !template.Dispatch)
        {
            Violate(PolicyCodes.EmergencyNotDispatched, "Emergencies must be dispatched immediately; this option does not dispatch anyone now.");
        }
        if (template.Amount is { } amount && amount > (decimal)policy.Credits.MaximumCredit)
        {
            Violate(PolicyCodes.CreditAboveMaximum,
                Invariant($"The credit of {amount:0.00} exceeds the maximum credit of {policy.Credits.MaximumCredit:0.00}."));
        }
        if (s.ResolutionP90 > sla.ResolutionHours)
        {
            // Informative only: resolution depends on parts and the resident, the SLA binds the response.
            notes.Add(Invariant($"p90 resolution {s.ResolutionP90:0.0} h is past the {sla.ResolutionHours:0.#} h resolution target (parts or follow-ups)."));
        }

        return new OptionSimulation(
            s.Runs,
            Math.Round(s.ResolutionP50, 2),
            Math.Round(s.ResolutionP90, 2),
            Math.Round(s.ExpectedCost, 2),
            Math.Round(s.CostP05, 2),
            Math.Round(s.CostP95, 2),
            Math.Round(s.EscalationProbability, 4),
            Math.Round(s.ExpectedSatisfaction, 4),
            violations.Count == 0,
            notes,
            violations);
    }

    private List<PolicyCitation> Cite(string query, ResidentRequest request)
    {
        var citations = new List<PolicyCitation>(CitationsPerOption);
        if (_retriever is null)
        {
            return citations;
        }
        try
        {
            foreach (var chunk in _retriever.Retrieve(new RetrievalQuery(query, Top: CitationsPerOption)))
            {
                citations.Add(new PolicyCitation(chunk.DocumentId, chunk.Section, chunk.Title, Math.Round(chunk.Score, 4)));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Citations explain; they do not decide. A retriever failure leaves the option uncited rather than failing the step.
            _logger.LogWarning(ex, "Policy retrieval failed for request {RequestId} (query {Query})", request.Id, query);
        }
        return citations;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
