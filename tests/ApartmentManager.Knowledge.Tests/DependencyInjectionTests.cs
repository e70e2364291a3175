using ApartmentManager.Application.Ports;
using ApartmentManager.Knowledge.Retrieval;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Knowledge.Tests;

public sealed class DependencyInjectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddKnowledge(configuration).BuildServiceProvider();
    }

    [Fact]
    public void AddKnowledge_registers_the_hybrid_retriever_with_options_from_the_Retrieval_section()
    {
        using var sp = Build(new() { ["Retrieval:DefaultTop"] = "3", ["Retrieval:RrfK"] = "30" });
        var retriever = sp.GetRequiredService<IPolicyRetriever>();
        Assert.IsType<HybridPolicyRetriever>(retriever);
        Assert.Same(retriever, sp.GetRequiredService<IKnowledgeCatalog>());
        Assert.Equal(3, retriever.Retrieve(new RetrievalQuery("heat is not working", null, 0)).Count);
        var config = sp.GetRequiredService<IKnowledgeCatalog>().Describe();
        Assert.True(config.DenseEnabled);
        Assert.Equal(30, config.Fusion.RrfK);
        Assert.StartsWith("all-MiniLM-L6-v2", config.ModelVersion, StringComparison.Ordinal);
        Assert.Equal(384, config.EmbeddingDimensions);
    }

    [Fact]
    public void Missing_model_files_degrade_to_bm25()
    {
        using var sp = Build(new() { ["Encoder:Directory"] = "models/does-not-exist" });
        var config = sp.GetRequiredService<IKnowledgeCatalog>().Describe();
        Assert.False(config.DenseEnabled);
        Assert.NotEmpty(sp.GetRequiredService<IPolicyRetriever>().Retrieve(new RetrievalQuery("late fee")));
    }

    [Fact]
    public void Invalid_options_fail_validation()
    {
        using var sp = Build(new() { ["Retrieval:DefaultTop"] = "50" });
        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<RetrieverOptions>>().Value);
    }
}
