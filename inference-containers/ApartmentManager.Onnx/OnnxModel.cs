namespace ApartmentManager.Onnx;

/// <summary>
/// A ModelProto ready to be written. <see cref="Version"/> is stored twice: as the metadata entry
/// "model_version" (read it with ONNX Runtime's <c>ModelMetadata.CustomMetadataMap</c>) and as the
/// producer_version, so any ONNX tool shows it.
/// </summary>
public sealed class OnnxModel
{
    /// <summary>IR version 8 (ONNX 1.10+); every ONNX Runtime since 1.10 reads it.</summary>
    public const long IrVersion = 8;
    public const long DefaultOpset = 17;
    public const long MlOpset = 3;
    public const string MlDomain = "ai.onnx.ml";

    public OnnxModel(OnnxGraphBuilder graph, string version)
    {
        Graph = graph;
        Version = version;
    }

    public OnnxGraphBuilder Graph { get; }
    public string Version { get; }
    public string ProducerName { get; init; } = "ApartmentManager.Onnx";
    public string? DocString { get; init; }
    public IDictionary<string, string> Metadata { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    // ModelProto: ir_version=1, producer_name=2, producer_version=3, domain=4, model_version=5, doc_string=6,
    // graph=7, opset_import=8, metadata_props=14. OperatorSetIdProto: domain=1, version=2.
    public byte[] ToBytes() => OnnxProtoWriter.Message(o =>
    {
        o.WriteInt64(1, IrVersion);
        o.WriteString(2, ProducerName);
        o.WriteString(3, Version);
        o.WriteString(4, "apartmentmanager");
        o.WriteInt64(5, 1);
        o.WriteString(6, DocString);
        o.WriteMessage(7, Graph.ToProto(DocString));
        o.WriteMessage(8, OnnxProtoWriter.Message(s =>
        {
            s.WriteString(1, "");
            s.WriteInt64(2, DefaultOpset);
        }));
        if (Graph.UsesDomain(MlDomain))
        {
            o.WriteMessage(8, OnnxProtoWriter.Message(s =>
            {
                s.WriteString(1, MlDomain);
                s.WriteInt64(2, MlOpset);
            }));
        }
        var metadata = new SortedDictionary<string, string>(Metadata, StringComparer.Ordinal) { ["model_version"] = Version };
        foreach (var (key, value) in metadata)
        {
            o.WriteMessage(14, OnnxProtoWriter.Message(e =>
            {
                e.WriteString(1, key);
                e.WriteString(2, value);
            }));
        }
    });

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, ToBytes());
    }
}
