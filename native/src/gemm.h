// Single-precision matrix products for the trainer's dense layers: C = act(op(A) op(B) + bias).
#pragma once

#include <cstddef>

namespace nashboard {

struct Gemm {
  const float* a;     // op(A) is [m, k]: stored [m, k], or [k, m] when transA
  const float* b;     // op(B) is [k, n]: stored [k, n], or [n, k] when transB
  float* c;           // [m, n], row-major, written (never read)
  const float* bias;  // [n] or nullptr
  // [m, n] or nullptr: the result is multiplied by step(mask) (1 where mask > 0, 0 where not, NaN where
  // mask is NaN, as tfjs's Step), which is the backward pass through a ReLU whose output is `mask`.
  const float* stepMask;
  int m, n, k;
  bool transA, transB;
  bool relu;
};

// True when this CPU runs the AVX2 + FMA kernels (the addon is useless without them).
bool cpuSupportsKernels();

// Computes g.c. Each output element is the sum over k in increasing k order, started from the bias, so
// results are the same bit for bit whatever the thread count or the position of the element. Returns
// 0, or the size in bytes of a scratch buffer it could not allocate (g.c is then incomplete). The caller
// checks the sizes first: every pointer must hold what m, n and k say, and m * n * k must fit a long.
size_t gemm(const Gemm& g);

}  // namespace nashboard
