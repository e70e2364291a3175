using System.ComponentModel.DataAnnotations;

namespace ApartmentManager.Learning;

/// <summary>The learning engine's settings (section <c>Learning</c>).</summary>
public sealed class LearningOptions
{
    public const string Section = "Learning";

    /// <summary>Run on a schedule (the single-node background service; the Functions timer trigger has its own CRON setting).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Hour of day (UTC) the single-node host runs learning; nightly by default.</summary>
    [Range(0, 23)]
    public int RunAtHourUtc { get; set; } = 2;

    /// <summary>How many outcomes the configured priors are worth: with n outcomes a learned figure moves n / (n + PriorWeight) of the way (log scale) from the prior to what the outcomes say.</summary>
    [Range(0.5, 100000)]
    public double PriorWeight { get; set; } = 20;

    /// <summary>How many outcomes "no difference" is worth for a building's (and the portfolio's) escalation shift.</summary>
    [Range(0.5, 100000)]
    public double RiskPriorWeight { get; set; } = 20;

    /// <summary>The prior's standard deviation of a pool's crew size at one hour of day, as a share of the configured size (ServiceNetwork).</summary>
    [Range(0.01, 10)]
    public double CapacityPriorSpread { get; set; } = 0.25;

    /// <summary>Fewest outcomes of a pool dispatched at one hour of day before that hour's crew size is learned.</summary>
    [Range(1, 100000)]
    public int CapacityMinimumOutcomes { get; set; } = 5;

    /// <summary>Share of the newest outcomes held out for the evaluation (train on older, test on newer).</summary>
    [Range(0.1, 0.5)]
    public double HeldOutFraction { get; set; } = 0.3;

    /// <summary>Fewer outcomes than this: a run does nothing and says so.</summary>
    [Range(10, 10_000_000)]
    public int MinimumOutcomes { get; set; } = 40;

    /// <summary>Monte Carlo runs per forecast when fitting and evaluating (fewer than the pipeline's: there are many forecasts).</summary>
    [Range(50, 20000)]
    public int ForecastRuns { get; set; } = 300;

    /// <summary>How long a host keeps the active parameter set before reading the store again (other instances' activations show within this).</summary>
    [Range(0, 3600)]
    public int ActiveCacheSeconds { get; set; } = 30;

    /// <summary>Retrain the risk model when the training part holds at least this many outcomes with a kept input row (fewer: the model is only recalibrated).</summary>
    [Range(20, 10_000_000)]
    public int RiskRetrainMinimum { get; set; } = 200;

    /// <summary>How many outcomes the configured risk model's prediction is worth in each leaf of a tree retraining adds (its L2 penalty): few outcomes move the model little.</summary>
    [Range(0, 100000)]
    public double RiskModelPriorWeight { get; set; } = 20;

    /// <summary>Trees retraining adds to the configured risk model.</summary>
    [Range(1, 1000)]
    public int RiskTrees { get; set; } = 40;

    [Range(1, 8)]
    public int RiskMaxDepth { get; set; } = 3;

    [Range(0.001, 1)]
    public double RiskLearningRate { get; set; } = 0.1;

    /// <summary>Fewest outcomes in a leaf of an added tree.</summary>
    [Range(1, 10000)]
    public int RiskMinLeaf { get; set; } = 20;

    /// <summary>Where retrained risk models are written as files for ONNX Runtime to open (a cache of the store's copies); empty: the system's temporary directory.</summary>
    public string ModelCacheDirectory { get; set; } = "";

    /// <summary>Smallest change that counts as better or worse, per measure (per-outcome measures also need two standard errors).</summary>
    public LearningTolerances Tolerances { get; set; } = new();
}

/// <summary>The evaluation's thresholds (section <c>Learning:Tolerances</c>).</summary>
public sealed class LearningTolerances
{
    /// <summary>Mean log-likelihood of resolution time, nats per outcome.</summary>
    [Range(0, 10)]
    public double ResolutionLogLikelihood { get; set; } = 0.01;

    /// <summary>Mean log-likelihood of the wait from dispatch to someone on site, nats per outcome.</summary>
    [Range(0, 10)]
    public double ResponseLogLikelihood { get; set; } = 0.01;

    /// <summary>Calibration error of resolution time (share).</summary>
    [Range(0, 1)]
    public double ResolutionCalibration { get; set; } = 0.02;

    /// <summary>Mean absolute cost error, as a share of the current parameters' error.</summary>
    [Range(0, 1)]
    public double CostRelative { get; set; } = 0.01;

    /// <summary>Brier score of escalation.</summary>
    [Range(0, 1)]
    public double EscalationBrier { get; set; } = 0.001;

    /// <summary>ROC AUC of escalation.</summary>
    [Range(0, 1)]
    public double EscalationAuc { get; set; } = 0.01;
}
