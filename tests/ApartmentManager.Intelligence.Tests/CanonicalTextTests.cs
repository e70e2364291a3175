using ApartmentManager.Llm;
using ApartmentManager.Scoring;
using ApartmentManager.Text;

namespace ApartmentManager.Intelligence.Tests;

/// <summary>The one canonical form of a text that both caches key on, so they agree on what "the same text" is.</summary>
public sealed class CanonicalTextTests
{
    [Theory]
    [InlineData("The sink  LEAKS\t under the cabinet ")]
    [InlineData("ｔｈｅ ｓｉｎｋ leaks under the cabinet")]
    [InlineData("the si\u200Bnk leaks under the\u00A0cabinet")]
    [InlineData("thе sink lеaks under the cabinet")] // Cyrillic е
    public void Texts_a_reader_calls_the_same_have_one_form(string variant) =>
        Assert.Equal("the sink leaks under the cabinet", CanonicalText.Of(variant));

    [Fact]
    public void Different_words_stay_different() =>
        Assert.NotEqual(CanonicalText.Of("the sink leaks"), CanonicalText.Of("the sink leaked"));

    [Fact]
    public void Both_caches_key_on_the_canonical_form()
    {
        var prompt = new PromptTemplate("classify", 1, "classification", "test prompt", "system", "{input}");
        Assert.Equal(EmbeddingCache.KeyOf("Sink  leaks"), EmbeddingCache.KeyOf("ｓｉｎｋ le\u200Baks"));
        Assert.Equal(InMemoryLlmResponseCache.KeyFor("classify", prompt, "Sink  leaks"), InMemoryLlmResponseCache.KeyFor("classify", prompt, "ｓｉｎｋ le\u200Baks"));
        Assert.NotEqual(EmbeddingCache.KeyOf("sink leaks"), EmbeddingCache.KeyOf("sink leak"));
    }
}
