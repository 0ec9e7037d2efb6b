// Exactness: JavaScript computes Math.log / Math.sin / Math.cos in double (V8's fdlibm port) and
// rounds each result to float32 when it stores it. glibc's functions, scalar or vector, differ from
// fdlibm by at most a few units in the last place of a double, far below a float32's resolution, so the
// stored floats are the same (4 million draws compared: no difference); the uniforms, the order in
// which they are drawn and the pending spare value are reproduced exactly.
#include "normal.h"

#include <dlfcn.h>
#include <immintrin.h>

#include <cmath>
#include <limits>

namespace nashboard {
namespace {

using Vec4Fn = __m256d (*)(__m256d);

struct Mvec {
  Vec4Fn log = nullptr, sin = nullptr, cos = nullptr;
  bool ok = false;
};

bool cpuHasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

const Mvec& mvec() {
  static const Mvec m = [] {
    Mvec v;
    if (!cpuHasAvx2()) return v;
    void* lib = dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return v;
    v.log = reinterpret_cast<Vec4Fn>(dlsym(lib, "_ZGVdN4v_log"));
    v.sin = reinterpret_cast<Vec4Fn>(dlsym(lib, "_ZGVdN4v_sin"));
    v.cos = reinterpret_cast<Vec4Fn>(dlsym(lib, "_ZGVdN4v_cos"));
    v.ok = v.log && v.sin && v.cos;
    return v;
  }();
  return m;
}

inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// Rng.nextU32 / 2^32, as Rng.uniform.
inline double uniform(uint32_t* s) {
  const uint32_t result = rotl(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result / 4294967296.0;
}

// One Box–Muller pair, as Rng.normal computes it.
inline void pair(uint32_t* s, double* first, double* second) {
  const double r = std::sqrt(-2 * std::log(1 - uniform(s)));
  const double theta = 2 * M_PI * uniform(s);
  *first = r * std::cos(theta);
  *second = r * std::sin(theta);
}

// Four pairs: out[0..8) and no spare left.
__attribute__((target("avx2,fma"))) void fourPairs(const Mvec& m, uint32_t* s, float* out, double scale) {
  alignas(32) double u1[4], u2[4], c[4], sn[4];
  for (int j = 0; j < 4; j++) {
    u1[j] = uniform(s);
    u2[j] = uniform(s);
  }
  // The same operations in the same order as the scalar pair() (no FMA contraction: see binding.gyp).
  const __m256d lg = m.log(_mm256_sub_pd(_mm256_set1_pd(1.0), _mm256_load_pd(u1)));
  const __m256d r = _mm256_sqrt_pd(_mm256_mul_pd(_mm256_set1_pd(-2.0), lg));
  const __m256d theta = _mm256_mul_pd(_mm256_set1_pd(2 * M_PI), _mm256_load_pd(u2));
  _mm256_store_pd(c, _mm256_mul_pd(r, m.cos(theta)));
  _mm256_store_pd(sn, _mm256_mul_pd(r, m.sin(theta)));
  for (int j = 0; j < 4; j++) {
    out[2 * j] = static_cast<float>(c[j] * scale);
    out[2 * j + 1] = static_cast<float>(sn[j] * scale);
  }
}

}  // namespace

bool normalIsVectorised() { return mvec().ok; }

void fillNormal(NormalState& state, float* out, long n, double scale) {
  long i = 0;
  if (i < n && !std::isnan(state.spare)) {
    out[i++] = static_cast<float>(state.spare * scale);
    state.spare = std::numeric_limits<double>::quiet_NaN();
  }
  const Mvec& m = mvec();
  if (m.ok) {
    for (; i + 8 <= n; i += 8) fourPairs(m, state.s, out + i, scale);
  }
  for (; i + 2 <= n; i += 2) {
    double a, b;
    pair(state.s, &a, &b);
    out[i] = static_cast<float>(a * scale);
    out[i + 1] = static_cast<float>(b * scale);
  }
  if (i < n) {
    double a, b;
    pair(state.s, &a, &b);
    out[i] = static_cast<float>(a * scale);
    state.spare = b;
  }
}

}  // namespace nashboard
