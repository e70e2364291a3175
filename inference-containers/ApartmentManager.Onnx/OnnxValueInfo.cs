namespace ApartmentManager.Onnx;

/// <summary>A typed graph input or output (ValueInfoProto with a tensor type).</summary>
public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDim> Shape, string? DocString = null)
{
    // ValueInfoProto: name=1, type=2, doc_string=3. TypeProto: tensor_type=1. TypeProto.Tensor: elem_type=1, shape=2.
    // TensorShapeProto: dim=1. Dimension: dim_value=1, dim_param=2.
    internal byte[] ToProto() => OnnxProtoWriter.Message(o =>
    {
        o.WriteString(1, Name);
        var shape = OnnxProtoWriter.Message(s =>
        {
            foreach (var d in Shape)
            {
                s.WriteMessage(1, OnnxProtoWriter.Message(dim =>
                {
                    if (d.Value is { } v)
                    {
                        dim.WriteInt64(1, v);
                    }
                    else
                    {
                        dim.WriteString(2, d.Param ?? "N");
                    }
                }));
            }
        });
        var tensorType = OnnxProtoWriter.Message(t =>
        {
            t.WriteInt32(1, (int)ElementType);
            t.WriteMessage(2, shape);
        });
        o.WriteMessage(2, OnnxProtoWriter.Message(t => t.WriteMessage(1, tensorType)));
        o.WriteString(3, DocString);
    });
}
