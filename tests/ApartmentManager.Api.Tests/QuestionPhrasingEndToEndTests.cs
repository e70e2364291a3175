using System.Net;
using ApartmentManager.Intelligence.Tests;

namespace ApartmentManager.Api.Tests;

/// <summary>
/// The clarifying question phrased by the LLM (the Azure OpenAI adapter against a real chat-completions server on
/// 127.0.0.1), with the prompt's id and version on the question and the tokens on the request's usage; and the question
/// bank's wording when the LLM's answer is not usable.
/// </summary>
public sealed class QuestionPhrasingEndToEndTests
{
    private const string Phrased = "Where exactly is the leak, for example kitchen or bathroom, and may our technician go in if you are out?";

    [Fact]
    public async Task The_LLM_phrases_the_question_and_the_bank_wording_stays_when_its_answer_is_unusable()
    {
        var answer = Phrased;
        await using var chat = await LoopbackChatServer.StartAsync();
        chat.Then(ctx => ((string)ctx.Items[LoopbackChatServer.BodyKey]!).Contains("Needed:", StringComparison.Ordinal)
            ? LoopbackChatServer.Completion(ctx, answer)
            : LoopbackChatServer.Completion(ctx, "{}")); // classification and descriptions: unusable, the pipeline goes on without the LLM
        await using var host = await SingleNodeHost.StartAsync(null,
            "--Workflow:PollInterval", "00:00:00.100", "--Lifecycle:Questions:BelowConfidence", "0.999",
            "--AzureOpenAI:Endpoint", chat.Endpoint.ToString(), "--AzureOpenAI:Deployment", "chat", "--AzureOpenAI:ApiKey", "test-key",
            "--AzureOpenAI:MaxRetries", "0");
        using var resident = host.Client("res-phrase-1");
        using var admin = host.Admin();

        var first = await Json.WaitForStatusAsync(admin, await CreateAsync(resident, "The bathroom fan rattles loudly when it runs"), ["awaiting_resident_info"]);
        var question = first["question"]!;
        Assert.Equal(Phrased, question["text"]!.GetValue<string>());
        Assert.Equal("clarifying-questions", question["prompt"]!["id"]!.GetValue<string>());
        Assert.Equal("2", question["prompt"]!["version"]!.GetValue<string>());
        Assert.NotEmpty(first["usage"]!["llm"]!.AsArray());
        var sent = chat.Requests.Select(r => r.Body).Single(b => b.Contains("Needed:", StringComparison.Ordinal));
        Assert.Contains("bathroom fan rattles", sent, StringComparison.Ordinal);
        // The resident sees the same question.
        Assert.Equal(Phrased, (await (await resident.GetAsync($"/api/v1/requests/{first["id"]}")).ReadAsync())["question"]!["text"]!.GetValue<string>());

        // A JSON list is not one question: the bank's own wording is asked, with no prompt recorded.
        answer = "[\"Where is it?\", \"Since when?\"]";
        var second = await Json.WaitForStatusAsync(admin, await CreateAsync(resident, "The closet door squeaks when I open it"), ["awaiting_resident_info"]);
        var fallback = second["question"]!;
        Assert.Null(fallback["prompt"]);
        var text = fallback["text"]!.GetValue<string>();
        Assert.True(text.StartsWith("We want to send the right person", StringComparison.Ordinal) || text.StartsWith("Where in your home", StringComparison.Ordinal), text);
    }

    private static async Task<string> CreateAsync(HttpClient resident, string message)
    {
        var response = await resident.PostAsync("/api/v1/requests", Json.Body(new { building = "maple-court", unit = "7A", message }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync())["id"]!.GetValue<string>();
    }
}
