using Microsoft.Extensions.Logging;

namespace ApartmentManager.Adapters.Inference;

/// <summary>How the remote decorators decide between the server's answer and the in-process one.</summary>
internal static partial class InferenceFallback
{
    /// <summary>
    /// Every failure of the remote path falls back: connection refused, 5xx after retries, attempt or total
    /// timeout, open breaker, garbage body. Only the caller's own cancellation propagates.
    /// </summary>
    public static bool ShouldFallBack(Exception ex, CancellationToken cancellationToken) =>
        !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inference server unavailable for {Operation} ({Reason}); answered by the in-process model")]
    public static partial void LogFallback(ILogger logger, string operation, string reason);

    public static string Reason(Exception ex) => ex.GetType().Name + ": " + (ex.Message.Length > 200 ? ex.Message[..200] : ex.Message);
}
