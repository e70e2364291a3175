using ApartmentManager.Domain;

namespace ApartmentManager.Domain.Tests;

/// <summary>The office's ledger review reports what it found; the finding is recorded on the round's work and in the history.</summary>
public sealed class LedgerFindingTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Completing_a_ledger_review_records_its_finding_on_the_work_and_in_the_history()
    {
        var review = InProgress(LedgerFinding.ReviewOptionKind);
        var finding = new LedgerFinding(true, 42.50m, "late fee posted twice", "admin:manager-1", T.AddHours(5));

        var done = review.ReportWork(new WorkUpdate(WorkState.Completed, T.AddHours(5), "admin:manager-1"), null, "reviewed", T.AddHours(5), finding);

        Assert.Equal(RequestStatus.AwaitingConfirmation, done.Status);
        Assert.Equal(finding, done.Finding);
        Assert.Equal(finding, done.CurrentWork!.Finding);
        var entry = Assert.Single(done.History, h => h.Event == ResidentRequest.LedgerFindingEvent);
        Assert.Equal("the ledger review found the charge wrong by 42.50; a credit of 42.50 is due: late fee posted twice", entry.Detail);
        // Completing again is refused: the request no longer has open work, so nothing is recorded (or credited) twice.
        Assert.ThrowsAny<DomainException>(() => done.ReportWork(
            new WorkUpdate(WorkState.Completed, T.AddHours(6), "admin:manager-1"), null, "again", T.AddHours(6), finding));
    }

    [Fact]
    public void A_finding_belongs_only_to_a_completed_ledger_review()
    {
        var finding = new LedgerFinding(false, 0m, null, "admin:manager-1", T);
        Assert.Throws<DomainException>(() => InProgress("mediation_letter").ReportWork(
            new WorkUpdate(WorkState.Completed, T, "admin:manager-1"), null, "sent", T, finding));
        Assert.Throws<DomainException>(() => InProgress(LedgerFinding.ReviewOptionKind).ReportWork(
            new WorkUpdate(WorkState.Assigned, T, "admin:manager-1"), null, null, T, finding));
        Assert.Equal("the ledger review found the charge correct; no credit is due", finding.Summary);
    }

    [Theory]
    [InlineData(true, "42.50", null)]
    [InlineData(true, "250", null)]
    [InlineData(false, null, null)]
    [InlineData(false, "0", null)]
    [InlineData(true, "-1", "cannot be negative")]
    [InlineData(true, "10.005", "two decimals")]
    [InlineData(true, "250.01", "maximum credit, 250.00")]
    [InlineData(true, "0", "more than 0")]
    [InlineData(true, null, "more than 0")]
    [InlineData(false, "12", "found correct has no amount")]
    public void The_amount_found_wrong_is_checked(bool chargeWrong, string? amount, string? problem)
    {
        var errors = LedgerFinding.Check(chargeWrong, amount is null ? null : decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), 250m);
        if (problem is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(problem, Assert.Single(errors["finding.amount"]));
        }
    }

    private static ResidentRequest InProgress(string optionKind)
    {
        var option = new ResolutionOption(optionKind, optionKind, "Office work", "The office handles it",
            new OptionSimulation(2000, 24, 96, 40, 30, 60, 0.05, 4.0, true, []), []);
        var executing = ResidentRequest.Create("req_1", "res-1", "maple", "4B", Channel.Web, "I was charged twice", T, "res-1")
            with { Status = RequestStatus.Executing, Options = [option], SelectedOptionId = optionKind };
        return executing.StartWork(new WorkProgress("office_task", "wo-1", WorkState.Scheduled, null, T.AddHours(48), 0, []), T.AddMinutes(1));
    }
}
