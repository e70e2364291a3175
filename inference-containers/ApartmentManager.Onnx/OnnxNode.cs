namespace ApartmentManager.Onnx;

/// <summary>One operator call in the graph (NodeProto).</summary>
public sealed record OnnxNode(
    string OpType,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<OnnxAttribute> Attributes,
    string Name,
    string Domain = "")
{
    // NodeProto: input=1, output=2, name=3, op_type=4, attribute=5, domain=7.
    internal byte[] ToProto() => OnnxProtoWriter.Message(o =>
    {
        foreach (var i in Inputs)
        {
            o.WriteString(1, i);
        }
        foreach (var x in Outputs)
        {
            o.WriteString(2, x);
        }
        o.WriteString(3, Name);
        o.WriteString(4, OpType);
        foreach (var a in Attributes)
        {
            o.WriteMessage(5, a.ToProto());
        }
        if (Domain.Length > 0)
        {
            o.WriteString(7, Domain);
        }
    });
}
