using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Text;

namespace ApartmentManager.Knowledge.Tests;

public sealed class ParsingTests
{
    private const string Valid = "---\nid: test-doc\ntitle: Test Document\ntags: [Alpha, beta, alpha]\nversion: 1.2\neffective: 2026-03-01\n---\n# Test Document\n\nIntro line.\n\n## First\nOne.\n\n## Second\nTwo.\nMore.\n";

    [Fact]
    public void Parses_front_matter_and_normalises_tags()
    {
        var doc = MarkdownDocumentParser.Parse(Valid, "test");
        Assert.Equal("test-doc", doc.Id);
        Assert.Equal("Test Document", doc.Title);
        Assert.Equal(["alpha", "beta"], doc.Tags);
        Assert.Equal("1.2", doc.Version);
        Assert.Equal(new DateOnly(2026, 3, 1), doc.EffectiveDate);
    }

    [Fact]
    public void Accepts_windows_line_endings() =>
        Assert.Equal("test-doc", MarkdownDocumentParser.Parse(Valid.Replace("\n", "\r\n", StringComparison.Ordinal), "crlf").Id);

    [Theory]
    [InlineData("# no front matter\n")]
    [InlineData("---\nid: x\ntitle: X\ntags: [a]\nversion: 1\neffective: 2026-01-01\n")]
    [InlineData("---\nid: x\ntitle: X\nversion: 1\neffective: 2026-01-01\n---\nbody")]
    [InlineData("---\nid: x\ntitle: X\ntags: [a]\nversion: 1\neffective: 01/02/2026\n---\nbody")]
    [InlineData("---\nid: x\ntitle: X\ntags: []\nversion: 1\neffective: 2026-01-01\n---\nbody")]
    [InlineData("---\nid x\n---\nbody")]
    public void Rejects_malformed_documents(string markdown) =>
        Assert.Throws<KnowledgeBaseFormatException>(() => MarkdownDocumentParser.Parse(markdown, "bad"));

    [Fact]
    public void Rejects_duplicate_ids()
    {
        var doc = MarkdownDocumentParser.Parse(Valid, "a");
        Assert.Throws<KnowledgeBaseFormatException>(() => new KnowledgeBase([doc, doc with { Title = "Other" }]));
    }

    [Fact]
    public void Chunks_by_level_two_headings_with_an_overview_for_leading_text()
    {
        var sections = SectionChunker.Split(MarkdownDocumentParser.Parse(Valid, "t").Body).ToList();
        Assert.Equal([SectionChunker.OverviewSection, "First", "Second"], sections.Select(s => s.Section));
        Assert.Equal("Intro line.", sections[0].Text);
        Assert.Equal("Two.\nMore.", sections[2].Text);
    }

    [Theory]
    [InlineData("The pipe is LEAKING!", new[] { "pipe", "leak" })]
    [InlineData("leaks leaked leaking", new[] { "leak", "leak", "leak" })]
    [InlineData("resident's charges were charged", new[] { "resident", "charg", "charg" })]
    [InlineData("68°F at 10 pm", new[] { "68", "10", "pm" })]
    [InlineData("it is a the of", new string[0])]
    [InlineData("stopped dripping batteries", new[] { "stop", "drip", "battery" })]
    public void Tokenizer_folds_case_stop_words_and_inflections(string text, string[] expected) =>
        Assert.Equal(expected, TextTokenizer.Tokenize(text));
}
