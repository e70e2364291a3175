using Google.Protobuf;

namespace ApartmentManager.Onnx;

/// <summary>
/// Reads back the ai.onnx.ml TreeEnsembleRegressor of a model file (the counterpart of
/// <see cref="OnnxModelBuilders.AddTreeEnsemble"/>): what a learner needs to continue boosting from a model in use.
/// Accepts packed and unpacked repeated fields; only the attributes the builder writes are read.
/// </summary>
public static class TreeEnsembleReader
{
    /// <param name="featureCount">The width of the model's input (the ensemble may not use its last columns).</param>
    public static TreeEnsemble Read(byte[] model, int featureCount)
    {
        // ModelProto.graph = 7; GraphProto.node = 1; NodeProto.op_type = 4, attribute = 5.
        var graph = Field(model, 7) ?? throw new InvalidDataException("The model has no graph.");
        foreach (var node in Fields(graph, 1))
        {
            var opType = Field(node, 4) is { } op ? System.Text.Encoding.UTF8.GetString(op) : "";
            if (opType == "TreeEnsembleRegressor")
            {
                return FromAttributes(Fields(node, 5).Select(Attribute.Parse).ToDictionary(a => a.Name, StringComparer.Ordinal), featureCount);
            }
        }
        throw new InvalidDataException("The model has no TreeEnsembleRegressor node.");
    }

    private static TreeEnsemble FromAttributes(Dictionary<string, Attribute> a, int featureCount)
    {
        int targets = (int)a["n_targets"].I;
        var treeIds = a["nodes_treeids"].Ints;
        var nodeIds = a["nodes_nodeids"].Ints;
        var features = a["nodes_featureids"].Ints;
        var modes = a["nodes_modes"].Strings;
        var values = a["nodes_values"].Floats;
        var trueIds = a["nodes_truenodeids"].Ints;
        var falseIds = a["nodes_falsenodeids"].Ints;
        var missing = a.TryGetValue("nodes_missing_value_tracks_true", out var m) ? m.Ints : [];
        int treeCount = treeIds.Count == 0 ? 0 : (int)treeIds.Max() + 1;
        var sizes = new int[treeCount];
        for (int k = 0; k < treeIds.Count; k++)
        {
            sizes[treeIds[k]] = Math.Max(sizes[treeIds[k]], (int)nodeIds[k] + 1);
        }
        var trees = new TreeNode[treeCount][];
        for (int t = 0; t < treeCount; t++)
        {
            trees[t] = new TreeNode[sizes[t]];
        }
        var leafWeights = new Dictionary<(long, long), float[]>();
        var tTree = a["target_treeids"].Ints;
        var tNode = a["target_nodeids"].Ints;
        var tIds = a["target_ids"].Ints;
        var tWeights = a["target_weights"].Floats;
        for (int k = 0; k < tTree.Count; k++)
        {
            if (!leafWeights.TryGetValue((tTree[k], tNode[k]), out var w))
            {
                leafWeights[(tTree[k], tNode[k])] = w = new float[targets];
            }
            w[tIds[k]] += tWeights[k];
        }
        for (int k = 0; k < treeIds.Count; k++)
        {
            trees[treeIds[k]][nodeIds[k]] = modes[k] == "LEAF"
                ? TreeNode.Leaf(leafWeights.TryGetValue((treeIds[k], nodeIds[k]), out var w) ? w : new float[targets])
                : modes[k] == "BRANCH_LEQ"
                    ? TreeNode.Split((int)features[k], values[k], (int)trueIds[k], (int)falseIds[k], missing.Count > k && missing[k] == 1)
                    : throw new InvalidDataException($"Unsupported tree node mode '{modes[k]}'.");
        }
        var baseValues = a.TryGetValue("base_values", out var b) ? b.Floats.ToArray() : new float[targets];
        return new TreeEnsemble(featureCount, targets, trees, baseValues);
    }

    private sealed record Attribute(string Name, long I, List<long> Ints, List<float> Floats, List<string> Strings)
    {
        // AttributeProto: name=1, i=3, s=4, floats=7, ints=8, strings=9.
        public static Attribute Parse(byte[] bytes)
        {
            var a = new Attribute("", 0, [], [], []);
            string name = "";
            long i = 0;
            var input = new CodedInputStream(bytes);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                int field = WireFormat.GetTagFieldNumber(tag);
                var wire = WireFormat.GetTagWireType(tag);
                switch (field, wire)
                {
                    case (1, WireFormat.WireType.LengthDelimited): name = input.ReadString(); break;
                    case (3, WireFormat.WireType.Varint): i = input.ReadInt64(); break;
                    case (7, WireFormat.WireType.Fixed32): a.Floats.Add(input.ReadFloat()); break;
                    case (7, WireFormat.WireType.LengthDelimited):
                        {
                            var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                            while (!packed.IsAtEnd)
                            {
                                a.Floats.Add(packed.ReadFloat());
                            }
                            break;
                        }
                    case (8, WireFormat.WireType.Varint): a.Ints.Add(input.ReadInt64()); break;
                    case (8, WireFormat.WireType.LengthDelimited):
                        {
                            var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                            while (!packed.IsAtEnd)
                            {
                                a.Ints.Add(packed.ReadInt64());
                            }
                            break;
                        }
                    case (9, WireFormat.WireType.LengthDelimited): a.Strings.Add(input.ReadBytes().ToStringUtf8()); break;
                    default: input.SkipLastField(); break;
                }
            }
            return a with { Name = name, I = i };
        }
    }

    private static byte[]? Field(byte[] message, int number) => Fields(message, number).FirstOrDefault();

    private static IEnumerable<byte[]> Fields(byte[] message, int number)
    {
        var input = new CodedInputStream(message);
        var found = new List<byte[]>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }
        return found;
    }
}
