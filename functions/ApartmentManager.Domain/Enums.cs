using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApartmentManager.Domain;

/// <summary>Serialises an enum as its snake_case name ("security_access", "awaiting_resident_choice").</summary>
/// <remarks>Declared per enum so System.Text.Json source generation picks it up without runtime reflection.</remarks>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;

[JsonConverter(typeof(SnakeCaseEnumConverter<RequestStatus>))]
public enum RequestStatus
{
    Received,
    Classified,
    /// <summary>The workflow asked the resident a clarifying question (<see cref="ResidentRequest.Question"/>) and waits for the reply.</summary>
    AwaitingResidentInfo,
    RiskAssessed,
    OptionsSimulated,
    Decided,
    AwaitingResidentChoice,
    AwaitingManagerApproval,
    Executing,
    /// <summary>The option's actions were carried out and work remains: a work order or office task is open.</summary>
    InProgress,
    /// <summary>The work is reported done; the resident confirms it (or reopens it) within the confirmation window.</summary>
    AwaitingConfirmation,
    Resolved,
    Escalated,
    Cancelled,
    Failed,
}

[JsonConverter(typeof(SnakeCaseEnumConverter<Channel>))]
public enum Channel
{
    Web,
    Sms,
    Email,
    Voice,
}

/// <summary>The category taxonomy. Its snake_case names are a published contract.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<Category>))]
public enum Category
{
    Plumbing,
    Electrical,
    Hvac,
    Appliance,
    Pest,
    Structural,
    SecurityAccess,
    NoiseNeighbor,
    Billing,
    Lease,
    PackageDelivery,
    AmenityParking,
    General,
}

/// <summary>Urgency, ordered from least to most urgent so comparisons mean "more urgent".</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<Urgency>))]
public enum Urgency
{
    Low,
    Normal,
    High,
    Emergency,
}

[JsonConverter(typeof(SnakeCaseEnumConverter<RiskLevel>))]
public enum RiskLevel
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>What happens after a decision.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<NextStep>))]
public enum NextStep
{
    /// <summary>Policy allows the system to carry out the recommended option now.</summary>
    Proceed,
    /// <summary>The resident picks one of the offered options.</summary>
    ResidentChooses,
    /// <summary>A manager must approve before anything is executed.</summary>
    ManagerApproves,
}

[JsonConverter(typeof(SnakeCaseEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    Pending,
    Succeeded,
    Failed,
    Compensated,
}
