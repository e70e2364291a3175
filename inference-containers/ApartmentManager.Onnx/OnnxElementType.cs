namespace ApartmentManager.Onnx;

/// <summary>TensorProto.DataType values (onnx.proto).</summary>
public enum OnnxElementType
{
    Float = 1,
    Uint8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Double = 11,
}
