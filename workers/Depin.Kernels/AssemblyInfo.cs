namespace Depin.Kernels;
