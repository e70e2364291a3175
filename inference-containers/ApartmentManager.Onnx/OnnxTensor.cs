using System.Buffers.Binary;
using Google.Protobuf;

namespace ApartmentManager.Onnx;

/// <summary>A constant tensor (an initializer or a tensor attribute). Numeric data is stored little-endian in raw_data.</summary>
public sealed class OnnxTensor
{
    private OnnxTensor(string name, long[] dims, OnnxElementType type, byte[] raw)
    {
        Name = name;
        Dims = dims;
        ElementType = type;
        RawData = raw;
    }

    public string Name { get; }
    public IReadOnlyList<long> Dims { get; }
    public OnnxElementType ElementType { get; }
    internal byte[] RawData { get; }

    public static OnnxTensor Float(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        CheckCount(name, data.Length, dims);
        var raw = new byte[data.Length * 4];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), data[i]);
        }
        return new OnnxTensor(name, dims, OnnxElementType.Float, raw);
    }

    public static OnnxTensor Int64(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        CheckCount(name, data.Length, dims);
        var raw = new byte[data.Length * 8];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), data[i]);
        }
        return new OnnxTensor(name, dims, OnnxElementType.Int64, raw);
    }

    /// <summary>A rank-0 float.</summary>
    public static OnnxTensor Scalar(string name, float value) => Float(name, [value]);

    private static void CheckCount(string name, int count, long[] dims)
    {
        long expected = 1;
        foreach (var d in dims)
        {
            expected *= d;
        }
        if (expected != count)
        {
            throw new ArgumentException($"Tensor '{name}' has {count} values but its shape [{string.Join(",", dims)}] holds {expected}.");
        }
    }

    // TensorProto: dims=1, data_type=2, name=8, raw_data=9.
    internal byte[] ToProto() => OnnxProtoWriter.Message(o =>
    {
        o.WritePackedInt64(1, Dims);
        o.WriteInt32(2, (int)ElementType);
        o.WriteString(8, Name);
        o.WriteBytesField(9, RawData);
    });
}
