using ILGPU;
using ILGPU.Runtime;

namespace Depin.Kernels.ProofOfWork;

/// <summary>
/// Host side of the nonce search on one accelerator: loads the kernel once, keeps its small buffers, and launches
/// batches in increasing nonce order until one finds a nonce, so the answer is the smallest qualifying nonce.
/// </summary>
internal sealed class PowAccelerated : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<uint>, ArrayView<uint>, ArrayView<uint>, ArrayView<ulong>, PowSearch> _kernel;
    private readonly MemoryBuffer1D<uint, Stride1D.Dense> _roundConstants;
    private readonly MemoryBuffer1D<uint, Stride1D.Dense> _template;
    private readonly MemoryBuffer1D<uint, Stride1D.Dense> _midstate;
    private readonly MemoryBuffer1D<ulong, Stride1D.Dense> _found;
    private readonly int _threads;
    private readonly int _noncesPerThread;

    private PowAccelerated(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<uint>, ArrayView<uint>, ArrayView<uint>, ArrayView<ulong>, PowSearch>(Sha256Device.Search);
        _roundConstants = accelerator.Allocate1D(Sha256Message.RoundConstants);
        _template = accelerator.Allocate1D<uint>(32);
        _midstate = accelerator.Allocate1D<uint>(8);
        _found = accelerator.Allocate1D<ulong>(1);
        var cuda = accelerator.AcceleratorType == AcceleratorType.Cuda;
        _threads = cuda ? accelerator.NumMultiprocessors * accelerator.MaxNumThreadsPerMultiprocessor * 4 : 256;
        _noncesPerThread = cuda ? 256 : 16;
    }

    public static PowAccelerated Create(Accelerator accelerator) => new(accelerator);

    public PowResult Search(PowParameters parameters)
    {
        var challenge = parameters.ChallengeBytes();
        var message = new Sha256Message(challenge);
        _template.View.CopyFromCPU(message.Template);
        _midstate.View.CopyFromCPU(message.Midstate);
        var batch = (long)_threads * _noncesPerThread;
        var notFound = new[] { ulong.MaxValue };
        var result = new ulong[1];

        for (var done = 0L; done < parameters.NonceBudget; done += batch)
        {
            var count = Math.Min(batch, parameters.NonceBudget - done);
            var search = new PowSearch(
                parameters.StartNonce + (ulong)done,
                count,
                _noncesPerThread,
                parameters.DifficultyBits,
                message.RemainingBlocks,
                message.NonceOffset);
            _found.View.CopyFromCPU(notFound);
            var threads = (int)((count + _noncesPerThread - 1) / _noncesPerThread);
            _kernel(threads, _roundConstants.View, _template.View, _midstate.View, _found.View, search);
            _accelerator.Synchronize();
            _found.View.CopyToCPU(result);
            if (result[0] != ulong.MaxValue)
            {
                return new PowResult(true, result[0], PowHash.Hash(challenge, result[0]));
            }
        }

        return new PowResult(false, 0, new byte[32]);
    }

    public void Dispose()
    {
        _roundConstants.Dispose();
        _template.Dispose();
        _midstate.Dispose();
        _found.Dispose();
    }
}
