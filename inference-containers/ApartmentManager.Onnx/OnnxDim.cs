namespace ApartmentManager.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size or a symbolic name such as "batch".</summary>
public readonly record struct OnnxDim(long? Value, string? Param)
{
    public static OnnxDim Fixed(long value) => new(value, null);
    public static OnnxDim Symbolic(string name) => new(null, name);

    public static implicit operator OnnxDim(long value) => Fixed(value);
    public static implicit operator OnnxDim(int value) => Fixed(value);
    public static implicit operator OnnxDim(string name) => Symbolic(name);

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";
}
