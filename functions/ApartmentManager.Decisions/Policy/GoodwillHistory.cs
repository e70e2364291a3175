using ApartmentManager.Application.Ports;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Decisions.Policy;

/// <summary>
/// How much goodwill credit a resident has received in the rolling window: the amounts of the <c>billing_credit</c>
/// options whose ledger entry was posted (and not reversed) in the window, read from the resident's own requests.
/// </summary>
public sealed class GoodwillHistory(IRequestStore store, IOptionsMonitor<DecisionOptions> options, TimeProvider clock)
{
    public const string LedgerAction = "post_ledger_entry";

    /// <summary>The total credited to <paramref name="residentId"/> in the window, not counting request <paramref name="exceptRequestId"/>.</summary>
    public async Task<decimal> CreditedAsync(string residentId, string? exceptRequestId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-options.CurrentValue.Credits.GoodwillWindowDays);
        decimal total = 0;
        string? token = null;
        do
        {
            // A credit is posted after its request was created, so requests created before the window cannot hold one inside it.
            // Only requests whose chosen option is the credit are read (an index in SQLite): a resident's other requests
            // — a thousand in a burst — cost nothing here.
            var page = await store.QueryAsync(new RequestQuery
            {
                ResidentId = residentId, CreatedFrom = since, SelectedOptionId = OptionKinds.BillingCredit, Limit = 100, ContinuationToken = token,
            },
                cancellationToken).ConfigureAwait(false);
            foreach (var request in page.Items)
            {
                if (request.Id != exceptRequestId)
                {
                    total += CreditedBy(request, since, options.CurrentValue);
                }
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
        return total;
    }

    internal static decimal CreditedBy(ResidentRequest request, DateTimeOffset since, DecisionOptions policy)
    {
        var option = request.Options.FirstOrDefault(o => o.Id == request.SelectedOptionId);
        if (option is not { Kind: OptionKinds.BillingCredit })
        {
            return 0;
        }
        return request.Executions.Any(e => e.Action == LedgerAction && e.Status == ExecutionStatus.Succeeded && (e.CompletedAt ?? e.StartedAt) >= since)
            ? CreditAmount.Of(request, option, policy)
            : 0;
    }
}
