namespace ApartmentManager.Llm.Tests;

public sealed class PromptCatalogTests
{
    [Fact]
    public void Every_shipped_prompt_parses_and_each_task_has_one()
    {
        var all = PromptCatalog.Default.All.ToList();
        Assert.Contains(all, p => p.Id == "classification" && p.Task == LlmTasks.Classification);
        Assert.Contains(all, p => p.Id == "option-description" && p.Task == LlmTasks.OptionDescription);
        Assert.Contains(all, p => p.Id == "clarifying-questions" && p.Task == LlmTasks.ClarifyingQuestions);
        Assert.All(all, p => Assert.False(string.IsNullOrWhiteSpace(p.System)));
    }

    [Fact]
    public void The_newest_version_is_used_unless_a_version_is_pinned()
    {
        var v1 = PromptTemplate.Parse("t1", "id: greet\nversion: 1\ntask: t\n---system\nold\n---user\nHi {{name}}");
        var v2 = PromptTemplate.Parse("t2", "id: greet\nversion: 2\ntask: t\n---system\nnew\n---user\nHello {{name}}");
        Assert.Equal(2, new PromptCatalog([v1, v2]).Get("greet").Version);
        Assert.Equal("old", new PromptCatalog([v2, v1], new Dictionary<string, int> { ["greet"] = 1 }).Get("greet").System);
        Assert.Throws<InvalidOperationException>(() => new PromptCatalog([v1], new Dictionary<string, int> { ["greet"] = 3 }));
        Assert.Throws<InvalidOperationException>(() => new PromptCatalog([v1, v1]));
    }

    [Fact]
    public void Placeholders_are_filled_and_a_missing_value_is_an_error()
    {
        var t = PromptTemplate.Parse("t", "id: greet\nversion: 1\ntask: t\n---system\ns\n---user\nHi {{name}}, about {{topic}}");
        Assert.Equal("Hi Ana, about rent", t.RenderUser(new Dictionary<string, string> { ["name"] = "Ana", ["topic"] = "rent" }));
        var e = Assert.Throws<ArgumentException>(() => t.RenderUser(new Dictionary<string, string> { ["name"] = "Ana" }));
        Assert.Contains("topic", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: 1\ntask: t\n---system\ns\n---user\nu")]
    [InlineData("id: x\nversion: one\ntask: t\n---system\ns\n---user\nu")]
    [InlineData("id: x\nversion: 1\ntask: t\n---system\ns")]
    [InlineData("id: x\nversion: 1\ntask: t\n---assistant\ns\n---user\nu")]
    public void A_malformed_file_is_refused(string text) =>
        Assert.Throws<FormatException>(() => PromptTemplate.Parse("bad", text));
}
