namespace ApartmentManager.Functions.Messaging;

/// <summary>
/// A command on queue <c>executions</c>: carry out a request's chosen option outside a running workflow (operations
/// re-driving a failed execution, or another system). <see cref="OptionId"/> null means the request's selected option.
/// </summary>
public sealed record ExecutionCommand(string? RequestId, string? OptionId, string? Reason);
