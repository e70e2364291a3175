using ApartmentManager.Knowledge.Documents;

namespace ApartmentManager.Knowledge.Tests;

public sealed class KnowledgeBaseTests
{
    private static readonly KnowledgeBase Kb = KnowledgeBase.LoadEmbedded();

    [Fact]
    public void Ships_at_least_forty_documents_with_unique_ids()
    {
        Assert.True(Kb.Documents.Count >= 40, $"only {Kb.Documents.Count} documents");
        Assert.Equal(Kb.Documents.Count, Kb.Documents.Select(d => d.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData("emergency-response")]
    [InlineData("maintenance-sla")]
    [InlineData("after-hours-dispatch")]
    [InlineData("water-leaks")]
    [InlineData("mold")]
    [InlineData("heat-hot-water")]
    [InlineData("ac-heat-wave")]
    [InlineData("pest-control")]
    [InlineData("quiet-hours-noise")]
    [InlineData("neighbor-mediation")]
    [InlineData("smoking")]
    [InlineData("late-fees")]
    [InlineData("billing-disputes")]
    [InlineData("credits-concessions")]
    [InlineData("payment-plans")]
    [InlineData("security-deposits")]
    [InlineData("lease-renewal")]
    [InlineData("move-out")]
    [InlineData("subletting")]
    [InlineData("pets")]
    [InlineData("assistance-animals")]
    [InlineData("accessibility-accommodations")]
    [InlineData("fair-housing")]
    [InlineData("privacy")]
    [InlineData("lockouts-keys")]
    [InlineData("packages")]
    [InlineData("amenities")]
    [InlineData("parking-towing")]
    [InlineData("elevators")]
    [InlineData("snow-ice")]
    [InlineData("trash-recycling")]
    [InlineData("vendors")]
    [InlineData("resident-damage-chargebacks")]
    [InlineData("renters-insurance")]
    [InlineData("approvals-high-risk")]
    public void Covers_the_topics_the_issue_lists(string id) => Assert.Contains(Kb.Documents, d => d.Id == id);

    [Fact]
    public void Every_document_has_front_matter_and_at_least_two_sections()
    {
        foreach (var doc in Kb.Documents)
        {
            Assert.False(string.IsNullOrWhiteSpace(doc.Title), doc.Id);
            Assert.False(string.IsNullOrWhiteSpace(doc.Version), doc.Id);
            Assert.NotEmpty(doc.Tags);
            Assert.All(doc.Tags, t => Assert.Equal(t.ToLowerInvariant(), t));
            Assert.True(doc.EffectiveDate.Year >= 2024, doc.Id);
            Assert.True(Kb.Chunks.Count(c => c.DocumentId == doc.Id) >= 2, $"{doc.Id} has fewer than two sections");
        }
    }

    [Fact]
    public void Chunks_carry_their_document_metadata_and_stable_indexes()
    {
        Assert.Equal(Enumerable.Range(0, Kb.Chunks.Count), Kb.Chunks.Select(c => c.Index));
        var chunk = Kb.Chunks.First(c => c.DocumentId == "late-fees" && c.Section == "Fee amounts");
        Assert.Equal("Late Fees and Grace Period", chunk.Title);
        Assert.Contains("$50", chunk.Text, StringComparison.Ordinal);
        Assert.Contains("late-fee", chunk.Tags);
        Assert.Equal(Kb.Documents.Single(d => d.Id == "late-fees").Version, chunk.Version);
        Assert.DoesNotContain("##", chunk.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maintenance-sla", "Emergency: on site within 2 hours")]
    [InlineData("maintenance-sla", "High: on site within 24 hours")]
    [InlineData("maintenance-sla", "Normal: on site within 72 hours")]
    [InlineData("maintenance-sla", "Low: scheduled within 7 days (168 hours)")]
    [InlineData("heat-hot-water", "at least 68°F between 6 am and 10 pm")]
    [InlineData("heat-hot-water", "at least 120°F at the tap")]
    [InlineData("quiet-hours-noise", "Quiet hours are 10 pm to 7 am")]
    [InlineData("late-fees", "initial late fee of $50")]
    [InlineData("credits-concessions", "Property manager: up to $250 per request.")]
    [InlineData("approvals-high-risk", "probability of 0.6 or more")]
    [InlineData("resident-damage-chargebacks", "A chargeback requires evidence")]
    public void States_the_numbers_policy_code_relies_on(string id, string phrase) =>
        Assert.Contains(phrase, Kb.Documents.Single(d => d.Id == id).Body, StringComparison.Ordinal);
}
