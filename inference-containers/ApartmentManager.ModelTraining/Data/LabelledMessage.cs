namespace ApartmentManager.ModelTraining.Data;

/// <summary>One row of data/messages.jsonl.</summary>
public sealed record LabelledMessage(
    string Id,
    string Text,
    string Category,
    string Urgency,
    IReadOnlyList<string> SecondaryCategories,
    string Language,
    string Split,
    string TemplateSplit,
    int Template,
    IReadOnlyList<string> Variations);

/// <summary>A line of data/templates.txt.</summary>
public sealed record MessageTemplate(int Index, string Category, string Urgency, string Language, string Text);
