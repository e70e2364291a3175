namespace ApartmentManager.Execution;

/// <summary>An action in a plan is malformed (a missing field, a body too long): the caller's input, never a fault of ours.</summary>
public sealed class InvalidExecutionPlanException(string message, string? paramName) : ArgumentException(message, paramName);
