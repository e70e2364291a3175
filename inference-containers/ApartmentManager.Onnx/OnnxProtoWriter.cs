using Google.Protobuf;

namespace ApartmentManager.Onnx;

/// <summary>
/// Low-level helpers over <see cref="CodedOutputStream"/>. Nested messages are length-delimited, so each one is
/// serialised to its own buffer first and then written as bytes under its field number.
/// </summary>
internal static class OnnxProtoWriter
{
    public static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer, leaveOpen: true);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }

    public static void WriteMessage(this CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }

    public static void WriteString(this CodedOutputStream output, int field, string? value)
    {
        if (value is null)
        {
            return;
        }
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    public static void WriteBytesField(this CodedOutputStream output, int field, ReadOnlySpan<byte> value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
    }

    public static void WriteInt64(this CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    public static void WriteInt32(this CodedOutputStream output, int field, int value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt32(value);
    }

    public static void WriteFloat(this CodedOutputStream output, int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
    }

    public static void WritePackedInt64(this CodedOutputStream output, int field, IReadOnlyList<long> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        var packed = Message(o =>
        {
            foreach (var v in values)
            {
                o.WriteInt64(v);
            }
        });
        output.WriteBytesField(field, packed);
    }

    public static void WritePackedFloat(this CodedOutputStream output, int field, IReadOnlyList<float> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        var packed = Message(o =>
        {
            foreach (var v in values)
            {
                o.WriteFloat(v);
            }
        });
        output.WriteBytesField(field, packed);
    }
}
