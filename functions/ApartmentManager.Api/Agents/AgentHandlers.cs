using System.Security.Cryptography;
using System.Text;
using ApartmentManager.Api.Http;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Decisions;
using ApartmentManager.Domain;
using ApartmentManager.Execution;
using ApartmentManager.Execution.Gateways;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Knowledge.Retrieval;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Api.Agents;

/// <summary>
/// The pipeline's agents, callable one by one: the same services the workflow uses, behind the API's validation,
/// problem+json and authorization rules.
/// </summary>
public static class AgentHandlers
{
    public const int MaxBatch = 64;

    public static Task<IResult> Classify(HttpContext context, IRequestClassifier classifier, CancellationToken ct) =>
        ApiHandler.Run(context, async _ =>
        {
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ClassifyBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            if (body.Value!.Items is { } items)
            {
                var texts = ValidateBatch(items, i => i?.Text, "items[{0}].text");
                ResidentBatchCap(context, texts.Count);
                var results = await classifier.ClassifyBatchAsync(texts, ct);
                return TypedResults.Json(new Batch<Classification>(results), ApiJsonContext.Default.BatchClassification);
            }
            var text = ValidateText(body.Value.Text, "text");
            return TypedResults.Json(await classifier.ClassifyAsync(text, ct), ApiJsonContext.Default.Classification);
        });

    public static Task<IResult> PredictRisk(HttpContext context, IRequestClassifier classifier, IRiskPredictor risk, TimeProvider clock, CancellationToken ct) =>
        ApiHandler.Run(context, async _ =>
        {
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.RiskBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            if (body.Value!.Items is { } items)
            {
                if (items.Count is 0 or > MaxBatch)
                {
                    throw Invalid("items", $"A batch has 1 to {MaxBatch} items.");
                }
                ResidentBatchCap(context, items.Count);
                var features = new List<RiskFeatures>(items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    features.Add(await FeaturesAsync(items[i] ?? throw Invalid($"items[{i}]", "An item is required."), $"items[{i}].", classifier, clock, ct));
                }
                return TypedResults.Json(new Batch<RiskAssessment>(await risk.PredictBatchAsync(features, ct)), ApiJsonContext.Default.BatchRiskAssessment);
            }
            var single = await FeaturesAsync(body.Value.Single, "", classifier, clock, ct);
            return TypedResults.Json(await risk.PredictAsync(single, ct), ApiJsonContext.Default.RiskAssessment);
        });

    public static Task<IResult> Retrieve(HttpContext context, IPolicyRetriever retriever, IOptions<RetrieverOptions> options, CancellationToken ct) =>
        ApiHandler.Run(context, async _ =>
        {
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.RetrieveBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var query = new RetrievalQuery(body.Value!.Query?.Trim() ?? "", body.Value.Tags, body.Value.Top ?? 0);
            var errors = RetrievalQueryValidator.Validate(query, options.Value);
            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors.ToDictionary(e => e.Key == "text" ? "query" : e.Key, e => e.Value));
            }
            var passages = retriever.Retrieve(query)
                .Select(c => new RetrievedPassage(c.DocumentId, c.Section, c.Title, c.Score, c.Text, c.Tags, c.Version)).ToList();
            return TypedResults.Json(new Batch<RetrievedPassage>(passages), ApiJsonContext.Default.BatchRetrievedPassage);
        });

    public static Task<IResult> RagConfig(HttpContext context, IKnowledgeCatalog catalog) =>
        ApiHandler.Run(context, _ => Task.FromResult<IResult>(TypedResults.Json(catalog.Describe(), ApiJsonContext.Default.KnowledgeConfig)));

    public static Task<IResult> Simulate(HttpContext context, RequestService requests, IOptionSimulator simulator, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.SimulateBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            ResidentRunsCap(context, caller, body.Value!.Runs);
            var settings = new SimulationSettings(body.Value!.Runs, body.Value.Seed, body.Value.StartHourOfDay, Describe: false);
            if (settings.Validate() is { Count: > 0 } errors)
            {
                throw new ValidationFailedException(errors);
            }
            var request = await RequestWithAsync(caller, requests, body.Value.RequestId, ct);
            if (request.Classification is null || request.Risk is null)
            {
                throw new DomainException($"Request {request.Id} has not been classified and risk-scored yet ('{Names.Of(request.Status)}').");
            }
            var options = await simulator.SimulateAsync(request, settings, ct);
            return TypedResults.Json(new SimulationAnswer(request.Id, options), ApiJsonContext.Default.SimulationAnswer);
        });

    public static Task<IResult> Decide(HttpContext context, RequestService requests, IDecisionPolicy policy, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.DecideBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var request = await RequestWithAsync(caller, requests, body.Value!.RequestId, ct);
            if (request.Options.Count == 0)
            {
                throw new DomainException($"Request {request.Id} has no simulated options to decide between yet ('{Names.Of(request.Status)}').");
            }
            return TypedResults.Json(policy.Decide(request), ApiJsonContext.Default.Decision);
        });

    public static Task<IResult> Execute(
        HttpContext context, RequestService requests, IActionExecutor executor, IOptions<DecisionOptions> policy, IOptionGate gate, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            RequireAdmin(caller, "Executing an option directly needs the admin role; residents choose with select-option.");
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ExecuteBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var request = await RequestWithAsync(caller, requests, body.Value!.RequestId, ct);
            var optionId = Required(body.Value.OptionId, "optionId", 128);
            if (request.Options.Any(o => o.Id == optionId)
                && await gate.CheckAsync(request, optionId, OptionChooser.Manager, approvedByManager: true, ct) is { Kind: OptionVerdictKind.Forbidden } verdict)
            {
                // An admin's call satisfies the approval rules, never the hard constraints.
                throw new OptionForbiddenException(optionId, verdict);
            }
            var result = await executor.ExecuteAsync(ExecutionPlanner.ForOption(request, optionId, policy.Value), ct);
            return TypedResults.Json(new ExecutionAnswer(request.Id, result.Status, result.Records, result.Error), ApiJsonContext.Default.ExecutionAnswer);
        });

    public static Task<IResult> Notify(HttpContext context, RequestService requests, IActionExecutor executor, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            RequireAdmin(caller, "Sending notifications needs the admin role.");
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.NotifyBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var b = body.Value!;
            var request = await RequestWithAsync(caller, requests, b.RequestId, ct);
            var subject = Required(b.Subject, "subject", 200);
            var message = Required(b.Message, "message", NotificationCommand.MaxBodyLength);
            var channel = b.Channel ?? (request.Channel == Channel.Sms ? "sms" : "email");
            if (channel is not ("sms" or "email"))
            {
                throw Invalid("channel", "channel is sms or email.");
            }
            // Without a key, the same subject and message to the same request are one notification, not two.
            var key = b.IdempotencyKey ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{channel}\n{subject}\n{message}")))[..16];
            var record = await executor.ExecuteAsync(request.Id,
                new SendNotification($"notify:manual:{key}", new NotificationCommand(request.Id, request.ResidentId, channel, subject, message)), ct);
            return TypedResults.Json(record, ApiJsonContext.Default.ExecutionRecord);
        });

    public static Task<IResult> GetExecution(HttpContext context, string id, RequestService requests, IActionExecutor executor, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var record = await executor.GetAsync(id, ct) ?? throw new RequestNotFoundException($"execution/{id}");
            if (!caller.IsAdmin)
            {
                // Residents see executions of their own requests only; anything else looks absent, and the answer names
                // neither the request nor its resident.
                ResidentRequest owner;
                try
                {
                    owner = (await requests.GetAsync(caller, RequestIdOf(record), ct)).Value;
                }
                catch (RequestNotFoundException)
                {
                    throw new RequestNotFoundException($"execution/{id}");
                }
                if (!caller.CanSee(owner.ResidentId))
                {
                    throw new RequestNotFoundException($"execution/{id}");
                }
                return TypedResults.Json(record with { Error = record.Error is null ? null : "The action could not be completed." },
                    ApiJsonContext.Default.ExecutionRecord);
            }
            return TypedResults.Json(record, ApiJsonContext.Default.ExecutionRecord);
        });

    private static string RequestIdOf(ExecutionRecord record) =>
        record.IdempotencyKey.Split('|', ':')[0];

    private static async Task<RiskFeatures> FeaturesAsync(RiskItem item, string prefix, IRequestClassifier classifier, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, List<string>>();
        Category? category = null;
        Urgency? urgency = null;
        if (item.Category is not null)
        {
            if (Names.TryParse<Category>(item.Category, out var c)) { category = c; }
            else { errors[prefix + "category"] = [$"category must be one of {string.Join(", ", Names.All<Category>())}."]; }
        }
        if (item.Urgency is not null)
        {
            if (Names.TryParse<Urgency>(item.Urgency, out var u)) { urgency = u; }
            else { errors[prefix + "urgency"] = [$"urgency must be one of {string.Join(", ", Names.All<Urgency>())}."]; }
        }
        var text = item.Text?.Trim();
        if ((category is null || urgency is null) && string.IsNullOrEmpty(text) && errors.Count == 0)
        {
            errors[prefix + "text"] = ["Give text, or both category and urgency."];
        }
        if (text is { Length: > ResidentRequest.MaxMessageLength })
        {
            errors[prefix + "text"] = [$"text has at most {ResidentRequest.MaxMessageLength} characters."];
        }
        if (item.IncidentsLast90Days is < 0 || item.RepeatComplaints is < 0 || item.BuildingAgeYears is < 0 or > 500 || item.DaysSinceLastMaintenance is < 0)
        {
            errors[prefix + "history"] = ["Counts, ages and days are not negative (building age at most 500 years)."];
        }
        ValidationFailedException.ThrowIfAny(errors);
        if (category is null || urgency is null)
        {
            var classified = await classifier.ClassifyAsync(text!, ct);
            category ??= classified.Category;
            urgency ??= classified.Urgency;
        }
        return RiskFeaturesBuilder.From(text ?? "", item.At ?? clock.GetUtcNow(), category.Value, urgency.Value,
            new RiskHistory(item.IncidentsLast90Days, item.RepeatComplaints, item.BuildingAgeYears, item.Vulnerable, item.DaysSinceLastMaintenance));
    }

    private static async Task<ResidentRequest> RequestWithAsync(Caller caller, RequestService requests, string? id, CancellationToken ct) =>
        (await requests.GetAsync(caller, Required(id, "requestId", 128), ct)).Value;

    /// <summary>Residents may not ask for more simulation runs than <see cref="CallerLimitOptions.ResidentMaxSimulationRuns"/>.</summary>
    private static void ResidentRunsCap(HttpContext context, Caller caller, int? runs)
    {
        var cap = CallerLimitOptions.Of(context).ResidentMaxSimulationRuns;
        if (!caller.IsAdmin && runs > cap)
        {
            throw Invalid("runs", $"Residents may ask for at most {cap} simulation runs.");
        }
    }

    /// <summary>The largest batch this caller may send: 64 for managers, <see cref="CallerLimitOptions.ResidentMaxBatchSize"/> for residents.</summary>
    private static void ResidentBatchCap(HttpContext context, int count)
    {
        var cap = CallerLimitOptions.Of(context).ResidentMaxBatchSize;
        if (Caller.From(context.User) is { IsAdmin: false } && count > cap)
        {
            throw Invalid("items", $"Residents may send at most {cap} items per batch (got {count}).");
        }
    }

    private static IReadOnlyList<string> ValidateBatch<T>(IReadOnlyList<T> items, Func<T, string?> text, string field)
    {
        if (items.Count is 0 or > MaxBatch)
        {
            throw Invalid("items", $"A batch has 1 to {MaxBatch} items (got {items.Count}).");
        }
        return [.. items.Select((item, i) => ValidateText(text(item), string.Format(System.Globalization.CultureInfo.InvariantCulture, field, i)))];
    }

    private static string ValidateText(string? text, string field)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw Invalid(field, $"{field} is required.");
        }
        if (trimmed.Length > ResidentRequest.MaxMessageLength)
        {
            throw Invalid(field, $"{field} has at most {ResidentRequest.MaxMessageLength} characters.");
        }
        return trimmed;
    }

    private static string Required(string? value, string field, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > max)
        {
            throw Invalid(field, $"{field} is required, at most {max} characters.");
        }
        return trimmed;
    }

    private static void RequireAdmin(Caller caller, string message)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException(message);
        }
    }

    private static ValidationFailedException Invalid(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}
