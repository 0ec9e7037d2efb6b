// A packed AVX2 + FMA SGEMM sized for small dense layers (hundreds of rows, up to a few hundred
// columns). op(B) is copied once into 16-column panels, zero-padded, with the bias after each panel;
// a 6 x 16 micro-kernel then keeps 12 accumulators in registers while it walks k. Transposed operands
// cost nothing extra: A is read through two strides and op(B) is transposed while it is packed, which
// is what the backward pass (x^T dy, dy W^T) needs.
//
// Determinism: every output element is bias + sum_k a_ik b_kj accumulated with FMA in increasing k,
// whatever the thread split (threads take whole panels or whole row blocks), so a run is reproducible
// bit for bit on a given CPU.
#include "gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "thread_pool.h"

namespace nashboard {
namespace {

constexpr int kNr = 16;  // panel width: two 8-float AVX registers
constexpr int kMr = 6;   // rows per micro-kernel call: 12 accumulators + 2 B + 1 A of 16 registers
// Below this many multiply-adds a second thread costs more in hand-off than it saves.
constexpr long kParallelWork = 1L << 18;
// Rows per chunk when a product is split by rows: whole micro-kernel blocks, a few chunks per thread.
constexpr int kRowsPerChunk = 8 * kMr;

// 64-byte aligned scratch per thread, grown as needed and kept (no allocation per call). Null when the
// allocation fails (the caller reports it; nothing is written through a null pointer).
float* scratch(size_t floats) {
  thread_local float* buffer = nullptr;
  thread_local size_t capacity = 0;
  if (floats > capacity) {
    std::free(buffer);
    buffer = nullptr;
    capacity = 0;
    // Whole 4 KiB pages (aligned_alloc wants a multiple of the alignment); a size whose rounding or
    // byte count overflows is one no allocation could give.
    if (floats > (SIZE_MAX / sizeof(float)) - 1023) return nullptr;
    const size_t rounded = (floats + 1023) & ~size_t{1023};
    buffer = static_cast<float*>(std::aligned_alloc(64, rounded * sizeof(float)));
    if (buffer) capacity = rounded;
  }
  return buffer;
}

size_t bytesOf(size_t floats) { return floats > SIZE_MAX / sizeof(float) ? SIZE_MAX : floats * sizeof(float); }

// Panel p of op(B): [k][16] floats, then 16 bias values (zeros without a bias).
void packPanel(const Gemm& g, int p, float* out) {
  const int j0 = p * kNr;
  const int cols = std::min(kNr, g.n - j0);
  if (!g.transB) {
    for (int k = 0; k < g.k; k++) {
      const float* row = g.b + static_cast<long>(k) * g.n + j0;
      float* dst = out + static_cast<long>(k) * kNr;
      std::memcpy(dst, row, cols * sizeof(float));
      std::memset(dst + cols, 0, (kNr - cols) * sizeof(float));
    }
  } else {
    if (cols < kNr) std::memset(out, 0, static_cast<size_t>(g.k) * kNr * sizeof(float));
    for (int j = 0; j < cols; j++) {
      const float* col = g.b + static_cast<long>(j0 + j) * g.k;
      for (int k = 0; k < g.k; k++) out[static_cast<long>(k) * kNr + j] = col[k];
    }
  }
  float* bias = out + static_cast<long>(g.k) * kNr;
  std::memset(bias, 0, kNr * sizeof(float));
  if (g.bias) std::memcpy(bias, g.bias + j0, cols * sizeof(float));
}

// tfjs's Step: 1 where m > 0, 0 where not, NaN where m is NaN (so a NaN activation stays visible).
__attribute__((target("avx2,fma"))) inline __m256 stepOf(__m256 m) {
  const __m256 one = _mm256_and_ps(_mm256_cmp_ps(m, _mm256_setzero_ps(), _CMP_GT_OQ), _mm256_set1_ps(1.0f));
  return _mm256_blendv_ps(one, m, _mm256_cmp_ps(m, m, _CMP_UNORD_Q));
}

// Six rows of C by one 16-column panel. The 12 accumulators are named variables, not an array, so the
// compiler keeps them in registers (with an array GCC spilled them to the stack on every k). A block of
// fewer than six rows repeats its last row in the spare slots and stores only the real ones.
__attribute__((target("avx2,fma"))) void microKernel(const Gemm& g, int i0, int rows, const float* panel,
                                                      int j0, int cols) {
  // A's element (i, k) sits at a[i * rowStride + k * colStride].
  const long rowStride = g.transA ? 1 : g.k;
  const long colStride = g.transA ? g.m : 1;
  const float* a0 = g.a + i0 * rowStride;
  const float* a1 = a0 + std::min(1, rows - 1) * rowStride;
  const float* a2 = a0 + std::min(2, rows - 1) * rowStride;
  const float* a3 = a0 + std::min(3, rows - 1) * rowStride;
  const float* a4 = a0 + std::min(4, rows - 1) * rowStride;
  const float* a5 = a0 + std::min(5, rows - 1) * rowStride;
  const float* biasPanel = panel + static_cast<long>(g.k) * kNr;
  __m256 c00 = _mm256_load_ps(biasPanel), c01 = _mm256_load_ps(biasPanel + 8);
  __m256 c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01, c40 = c00, c41 = c01;
  __m256 c50 = c00, c51 = c01;
  const int k = g.k;
  for (long kk = 0, off = 0; kk < k; kk++, off += colStride) {
    const __m256 b0 = _mm256_load_ps(panel + kk * kNr);
    const __m256 b1 = _mm256_load_ps(panel + kk * kNr + 8);
    __m256 av = _mm256_broadcast_ss(a0 + off);
    c00 = _mm256_fmadd_ps(av, b0, c00);
    c01 = _mm256_fmadd_ps(av, b1, c01);
    av = _mm256_broadcast_ss(a1 + off);
    c10 = _mm256_fmadd_ps(av, b0, c10);
    c11 = _mm256_fmadd_ps(av, b1, c11);
    av = _mm256_broadcast_ss(a2 + off);
    c20 = _mm256_fmadd_ps(av, b0, c20);
    c21 = _mm256_fmadd_ps(av, b1, c21);
    av = _mm256_broadcast_ss(a3 + off);
    c30 = _mm256_fmadd_ps(av, b0, c30);
    c31 = _mm256_fmadd_ps(av, b1, c31);
    av = _mm256_broadcast_ss(a4 + off);
    c40 = _mm256_fmadd_ps(av, b0, c40);
    c41 = _mm256_fmadd_ps(av, b1, c41);
    av = _mm256_broadcast_ss(a5 + off);
    c50 = _mm256_fmadd_ps(av, b0, c50);
    c51 = _mm256_fmadd_ps(av, b1, c51);
  }
  const __m256 lo[kMr] = {c00, c10, c20, c30, c40, c50};
  const __m256 hi[kMr] = {c01, c11, c21, c31, c41, c51};
  // max(0, x) with x second, so a NaN stays NaN (NaN is data: a diverged run must show it).
  const __m256 zero = _mm256_setzero_ps();
  for (int r = 0; r < rows; r++) {
    __m256 x0 = g.relu ? _mm256_max_ps(zero, lo[r]) : lo[r];
    __m256 x1 = g.relu ? _mm256_max_ps(zero, hi[r]) : hi[r];
    const long row = static_cast<long>(i0 + r) * g.n + j0;
    if (cols == kNr) {
      if (g.stepMask) {
        x0 = _mm256_mul_ps(x0, stepOf(_mm256_loadu_ps(g.stepMask + row)));
        x1 = _mm256_mul_ps(x1, stepOf(_mm256_loadu_ps(g.stepMask + row + 8)));
      }
      _mm256_storeu_ps(g.c + row, x0);
      _mm256_storeu_ps(g.c + row + 8, x1);
    } else {
      // A ragged last panel: through a buffer, so nothing past the row is read or written.
      alignas(32) float tmp[kNr], mask[kNr] = {};
      _mm256_store_ps(tmp, x0);
      _mm256_store_ps(tmp + 8, x1);
      if (g.stepMask) {
        std::memcpy(mask, g.stepMask + row, cols * sizeof(float));
        _mm256_store_ps(tmp, _mm256_mul_ps(_mm256_load_ps(tmp), stepOf(_mm256_load_ps(mask))));
        _mm256_store_ps(tmp + 8, _mm256_mul_ps(_mm256_load_ps(tmp + 8), stepOf(_mm256_load_ps(mask + 8))));
      }
      std::memcpy(g.c + row, tmp, cols * sizeof(float));
    }
  }
}

// Products with one or two output columns (a network's last layer: D's logit, G's 2-D point, and
// their weight gradients), where a 16-column panel would waste most of each register. Vectorised along
// k when A's rows are contiguous, along m when A is transposed. Bias, relu and step mask as above.
constexpr int kNarrow = 2;

// Bias, activation and mask for one output element (the scalar form of the micro-kernel's epilogue).
inline float finish(const Gemm& g, float x, long at) {
  if (g.relu) x = x > 0 || x != x ? x : 0.0f;
  if (g.stepMask) {
    const float m = g.stepMask[at];
    x *= m > 0 ? 1.0f : (m == m ? 0.0f : m);
  }
  return x;
}

__attribute__((target("avx2,fma"))) inline float horizontalSum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// A's rows contiguous: each output is a dot product of A's row with a column of op(B), 8 lanes of
// partial sums over k, then the lanes added, then the tail.
__attribute__((target("avx2,fma"))) size_t narrowRows(const Gemm& g) {
  const int k = g.k;
  float* cols = scratch(static_cast<size_t>(kNarrow) * k);
  if (!cols) return bytesOf(static_cast<size_t>(kNarrow) * k);
  for (int j = 0; j < g.n; j++) {
    for (int kk = 0; kk < k; kk++) {
      cols[static_cast<long>(j) * k + kk] =
          g.transB ? g.b[static_cast<long>(j) * k + kk] : g.b[static_cast<long>(kk) * g.n + j];
    }
  }
  for (int i = 0; i < g.m; i++) {
    const float* a = g.a + static_cast<long>(i) * k;
    for (int j = 0; j < g.n; j++) {
      const float* b = cols + static_cast<long>(j) * k;
      __m256 acc = _mm256_setzero_ps();
      int kk = 0;
      for (; kk + 8 <= k; kk += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(a + kk), _mm256_loadu_ps(b + kk), acc);
      float sum = horizontalSum(acc);
      for (; kk < k; kk++) sum += a[kk] * b[kk];
      const long at = static_cast<long>(i) * g.n + j;
      g.c[at] = finish(g, (g.bias ? g.bias[j] : 0.0f) + sum, at);
    }
  }
  return 0;
}

// A transposed (stored [k, m]): 8 outputs of a column at a time, over k in increasing order from the
// bias, exactly as the micro-kernel sums.
__attribute__((target("avx2,fma"))) void narrowColumns(const Gemm& g) {
  const long m = g.m;
  for (int j = 0; j < g.n; j++) {
    const __m256 bias = _mm256_set1_ps(g.bias ? g.bias[j] : 0.0f);
    long i = 0;
    for (; i + 32 <= m; i += 32) {
      __m256 acc0 = bias, acc1 = bias, acc2 = bias, acc3 = bias;
      for (int kk = 0; kk < g.k; kk++) {
        const float* a = g.a + kk * m + i;
        const __m256 b = _mm256_set1_ps(g.transB ? g.b[static_cast<long>(j) * g.k + kk] : g.b[static_cast<long>(kk) * g.n + j]);
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a), b, acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + 8), b, acc1);
        acc2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + 16), b, acc2);
        acc3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + 24), b, acc3);
      }
      alignas(32) float tmp[32];
      _mm256_store_ps(tmp, acc0);
      _mm256_store_ps(tmp + 8, acc1);
      _mm256_store_ps(tmp + 16, acc2);
      _mm256_store_ps(tmp + 24, acc3);
      for (int r = 0; r < 32; r++) g.c[(i + r) * g.n + j] = finish(g, tmp[r], (i + r) * g.n + j);
    }
    for (; i < m; i++) {
      float sum = g.bias ? g.bias[j] : 0.0f;
      for (int kk = 0; kk < g.k; kk++) {
        const float b = g.transB ? g.b[static_cast<long>(j) * g.k + kk] : g.b[static_cast<long>(kk) * g.n + j];
        sum = std::fma(g.a[kk * m + i], b, sum);
      }
      g.c[i * g.n + j] = finish(g, sum, i * g.n + j);
    }
  }
}

// Panels [p0, p1) times rows [r0, r1); `packed` holds those panels already, or is null to pack each
// panel here into this thread's scratch. Returns the bytes it could not allocate, 0 when done.
size_t gemmBlock(const Gemm& g, int p0, int p1, int r0, int r1, const float* packed) {
  const size_t panelFloats = (static_cast<size_t>(g.k) + 1) * kNr;
  for (int p = p0; p < p1; p++) {
    const float* panel = packed ? packed + (p - p0) * panelFloats : nullptr;
    if (!panel) {
      float* own = scratch(panelFloats);
      if (!own) return bytesOf(panelFloats);
      packPanel(g, p, own);
      panel = own;
    }
    const int j0 = p * kNr;
    const int cols = std::min(kNr, g.n - j0);
    for (int i = r0; i < r1; i += kMr) microKernel(g, i, std::min(kMr, r1 - i), panel, j0, cols);
  }
  return 0;
}

// How one product is cut into chunks for the pool: by panel when there are several (each chunk packs
// its own), else by blocks of rows sharing panels the caller packed once.
struct Split {
  const Gemm* g;
  int panels;
  bool byPanel;
  int rowsPerChunk;
  const float* packed;
  // Set by a chunk whose thread could not allocate its scratch (parallelFor's wait publishes it).
  std::atomic<size_t> unallocated{0};
};

void runChunk(void* context, int chunk) {
  Split& s = *static_cast<Split*>(context);
  const Gemm& g = *s.g;
  size_t missing;
  if (s.byPanel) {
    missing = gemmBlock(g, chunk, chunk + 1, 0, g.m, nullptr);
  } else {
    const int r0 = chunk * s.rowsPerChunk;
    missing = gemmBlock(g, 0, s.panels, r0, std::min(g.m, r0 + s.rowsPerChunk), s.packed);
  }
  if (missing) s.unallocated.store(missing, std::memory_order_relaxed);
}

}  // namespace

bool cpuSupportsKernels() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

size_t gemm(const Gemm& g) {
  if (g.m == 0 || g.n == 0) return 0;
  if (g.n <= kNarrow) {
    if (!g.transA) return narrowRows(g);
    narrowColumns(g);
    return 0;
  }
  const int panels = (g.n + kNr - 1) / kNr;
  const long work = static_cast<long>(g.m) * g.n * g.k;
  if (work < kParallelWork || threads() <= 1) return gemmBlock(g, 0, panels, 0, g.m, nullptr);
  Split s{&g, panels, panels >= 4, kRowsPerChunk, nullptr};
  int chunks = panels;
  if (!s.byPanel) {
    const size_t panelFloats = (static_cast<size_t>(g.k) + 1) * kNr;
    float* packed = scratch(panelFloats * panels);
    if (!packed) return bytesOf(panelFloats * panels);
    for (int p = 0; p < panels; p++) packPanel(g, p, packed + p * panelFloats);
    s.packed = packed;
    chunks = (g.m + kRowsPerChunk - 1) / kRowsPerChunk;
  }
  parallelFor(chunks, runChunk, &s);
  return s.unallocated.load(std::memory_order_relaxed);
}

}  // namespace nashboard
