using System.Text.Json;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Learning.Outcomes;

/// <summary>Keeps the outcome data set up to date from the request store, and writes it as JSON lines.</summary>
public sealed class OutcomeCollector(IRequestStore requests, IOutcomeStore outcomes)
{
    private const int PageSize = 200;

    /// <summary>Reads every resolved request and records its outcome (idempotent). Returns how many outcomes were written.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken = default)
    {
        int written = 0;
        string? token = null;
        do
        {
            var page = await requests.QueryAsync(new RequestQuery { Status = RequestStatus.Resolved, Limit = PageSize, ContinuationToken = token }, cancellationToken)
                .ConfigureAwait(false);
            var batch = new List<OutcomeRecord>(page.Items.Count);
            foreach (var request in page.Items)
            {
                if (OutcomeRecord.From(request) is { } outcome)
                {
                    batch.Add(outcome);
                }
            }
            if (batch.Count > 0)
            {
                await outcomes.UpsertAsync(batch, cancellationToken).ConfigureAwait(false);
                written += batch.Count;
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
        return written;
    }

    /// <summary>Writes the data set as JSON lines (one outcome per line, oldest first) to <paramref name="destination"/>.</summary>
    public async Task<int> ExportAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        var all = await outcomes.ListAsync(cancellationToken).ConfigureAwait(false);
        var newline = "\n"u8.ToArray();
        foreach (var outcome in all)
        {
            await JsonSerializer.SerializeAsync(destination, outcome, LearningJson.Default.OutcomeRecord, cancellationToken).ConfigureAwait(false);
            await destination.WriteAsync(newline, cancellationToken).ConfigureAwait(false);
        }
        return all.Count;
    }
}
