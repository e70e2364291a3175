namespace ApartmentManager.Onnx;

/// <summary>A node attribute (AttributeProto). Only the kinds the builders need.</summary>
public sealed class OnnxAttribute
{
    // AttributeProto.AttributeType
    private const int TypeFloat = 1, TypeInt = 2, TypeString = 3, TypeTensor = 4, TypeFloats = 6, TypeInts = 7, TypeStrings = 8;

    private OnnxAttribute(string name, int type) => (Name, Type) = (name, type);

    public string Name { get; }
    private int Type { get; }
    private float _f;
    private long _i;
    private string? _s;
    private OnnxTensor? _t;
    private IReadOnlyList<float> _floats = [];
    private IReadOnlyList<long> _ints = [];
    private IReadOnlyList<string> _strings = [];

    public static OnnxAttribute Float(string name, float value) => new(name, TypeFloat) { _f = value };
    public static OnnxAttribute Int(string name, long value) => new(name, TypeInt) { _i = value };
    public static OnnxAttribute String(string name, string value) => new(name, TypeString) { _s = value };
    public static OnnxAttribute Tensor(string name, OnnxTensor value) => new(name, TypeTensor) { _t = value };
    public static OnnxAttribute Floats(string name, IEnumerable<float> values) => new(name, TypeFloats) { _floats = values.ToArray() };
    public static OnnxAttribute Ints(string name, IEnumerable<long> values) => new(name, TypeInts) { _ints = values.ToArray() };
    public static OnnxAttribute Strings(string name, IEnumerable<string> values) => new(name, TypeStrings) { _strings = values.ToArray() };

    // AttributeProto: name=1, f=2, i=3, s=4, t=5, floats=7, ints=8, strings=9, type=20.
    internal byte[] ToProto() => OnnxProtoWriter.Message(o =>
    {
        o.WriteString(1, Name);
        switch (Type)
        {
            case TypeFloat: o.WriteFloat(2, _f); break;
            case TypeInt: o.WriteInt64(3, _i); break;
            case TypeString: o.WriteBytesField(4, System.Text.Encoding.UTF8.GetBytes(_s!)); break;
            case TypeTensor: o.WriteMessage(5, _t!.ToProto()); break;
            case TypeFloats: o.WritePackedFloat(7, _floats); break;
            case TypeInts: o.WritePackedInt64(8, _ints); break;
            case TypeStrings:
                foreach (var s in _strings)
                {
                    o.WriteBytesField(9, System.Text.Encoding.UTF8.GetBytes(s));
                }
                break;
        }
        o.WriteInt32(20, Type);
    });
}
