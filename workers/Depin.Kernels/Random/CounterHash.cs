namespace Depin.Kernels.Random;

/// <summary>Stateless counter-based hash (SplitMix64 finalizer) for deterministic input generation.</summary>
public static class CounterHash
{
    /// <summary>64 well-mixed bits for (seed, stream, index).</summary>
    public static ulong Mix(ulong seed, ulong stream, ulong index)
    {
        var z = seed ^ (stream * 0xD1B54A32D192ED03UL) ^ ((index + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A float in [-1, 1) with 24 random bits, exactly representable.</summary>
    public static float UnitFloat(ulong seed, ulong stream, ulong index) =>
        ((int)(Mix(seed, stream, index) >> 40) - (1 << 23)) * (1.0f / (1 << 23));
}
