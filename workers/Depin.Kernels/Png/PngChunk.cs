namespace Depin.Kernels.Png;

/// <summary>A PNG chunk: four-letter ASCII type and its data.</summary>
public sealed record PngChunk(string Type, byte[] Data);
