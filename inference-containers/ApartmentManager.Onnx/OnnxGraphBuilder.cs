namespace ApartmentManager.Onnx;

/// <summary>
/// Collects inputs, outputs, initializers and nodes, then produces an <see cref="OnnxModel"/>.
/// Node names are generated ("{opType}_{n}") when not given, so builds are deterministic.
/// </summary>
public sealed class OnnxGraphBuilder(string name)
{
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<OnnxNode> _nodes = [];
    private readonly HashSet<string> _opsets = [];

    public string Name { get; } = name;

    public OnnxGraphBuilder AddInput(string name, OnnxElementType type, params OnnxDim[] shape)
    {
        _inputs.Add(new OnnxValueInfo(name, type, shape));
        return this;
    }

    public OnnxGraphBuilder AddOutput(string name, OnnxElementType type, params OnnxDim[] shape)
    {
        _outputs.Add(new OnnxValueInfo(name, type, shape));
        return this;
    }

    /// <summary>Adds a constant tensor; returns its name so it can be used as a node input.</summary>
    public string AddInitializer(OnnxTensor tensor)
    {
        _initializers.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, string output, params OnnxAttribute[] attributes) =>
        AddNode(opType, inputs, [output], "", attributes)[0];

    public IReadOnlyList<string> AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string domain, params OnnxAttribute[] attributes)
    {
        _nodes.Add(new OnnxNode(opType, inputs, outputs, attributes, $"{opType}_{_nodes.Count}", domain));
        _opsets.Add(domain);
        return outputs;
    }

    internal bool UsesDomain(string domain) => _opsets.Contains(domain);

    // GraphProto: node=1, name=2, initializer=5, doc_string=10, input=11, output=12.
    internal byte[] ToProto(string? docString) => OnnxProtoWriter.Message(o =>
    {
        foreach (var n in _nodes)
        {
            o.WriteMessage(1, n.ToProto());
        }
        o.WriteString(2, Name);
        foreach (var t in _initializers)
        {
            o.WriteMessage(5, t.ToProto());
        }
        o.WriteString(10, docString);
        foreach (var i in _inputs)
        {
            o.WriteMessage(11, i.ToProto());
        }
        foreach (var x in _outputs)
        {
            o.WriteMessage(12, x.ToProto());
        }
    });
}
