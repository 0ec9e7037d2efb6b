// The N-API surface. Every function works on tensors that live in tfjs-wasm's heap: JavaScript passes
// the heap's ArrayBuffer and, for each tensor, its byte offset and its byte length, and the kernels read
// and write that memory in place, so no tensor is ever copied between JavaScript, wasm and native code.
// Nothing is trusted: each tensor must lie inside the heap and hold what the sizes say the kernel will
// touch, sizes are integers whose products are checked for overflow, and a scratch buffer the kernels
// cannot allocate is an error. A wrong argument throws (code ERR_NASHBOARD_NATIVE; an allocation
// ERR_NASHBOARD_OUT_OF_MEMORY, which the CLI reports as the backend's memory) instead of corrupting
// memory. test/native-addon-checks.test.ts passes each kind of wrong size.
#include <node_api.h>

#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "elementwise.h"
#include "gemm.h"
#include "normal.h"
#include "thread_pool.h"

namespace {

using namespace nashboard;

constexpr size_t kMaxArgs = 20;
// JavaScript numbers are exact integers up to 2^53; any size or offset beyond is a mistake.
constexpr double kMaxSafeInteger = 9007199254740991.0;

struct Args {
  napi_env env;
  napi_value argv[kMaxArgs];
  size_t argc = kMaxArgs;
  bool failed = false;
  uint8_t* heap = nullptr;
  size_t heapBytes = 0;

  Args(napi_env e, napi_callback_info info, size_t expected) : env(e) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < expected)
      fail("wrong number of arguments: expected %zu, got %zu", expected, argc);
  }

  __attribute__((format(printf, 2, 3))) void fail(const char* format, ...) {
    if (failed) return;
    failed = true;
    char message[256];
    va_list args;
    va_start(args, format);
    std::vsnprintf(message, sizeof message, format, args);
    va_end(args);
    napi_throw_error(env, "ERR_NASHBOARD_NATIVE", message);
  }

  double number(size_t i) {
    double v = 0;
    if (!failed && napi_get_value_double(env, argv[i], &v) != napi_ok) fail("argument %zu: expected a number", i);
    return v;
  }

  // An exact integer (napi_get_value_int64 would truncate 1.5 and saturate 1e30 without a word).
  int64_t integer(size_t i) {
    const double v = number(i);
    if (failed) return 0;
    if (!(std::fabs(v) <= kMaxSafeInteger) || std::trunc(v) != v) {
      fail("argument %zu: %g is not an exact integer (at most 2^53)", i, v);
      return 0;
    }
    return static_cast<int64_t>(v);
  }

  // A matrix dimension: an integer from 0 to INT_MAX, since the kernels index with int.
  int dimension(size_t i, const char* name) {
    const int64_t v = integer(i);
    if (failed) return 0;
    if (v < 0 || v > INT_MAX) {
      fail("%s = %lld is not a dimension (0 to %d)", name, static_cast<long long>(v), INT_MAX);
      return 0;
    }
    return static_cast<int>(v);
  }

  // An element count: an integer from 0 up.
  size_t count(size_t i, const char* name) {
    const int64_t v = integer(i);
    if (failed) return 0;
    if (v < 0) fail("%s = %lld is negative", name, static_cast<long long>(v));
    return failed ? 0 : static_cast<size_t>(v);
  }

  // a * b, or a failure naming what overflowed.
  size_t times(size_t a, size_t b, const char* what) {
    size_t product = 0;
    if (!failed && __builtin_mul_overflow(a, b, &product)) fail("%s overflows (%zu x %zu)", what, a, b);
    return product;
  }

  // Argument i is the heap (an ArrayBuffer); the tensors' regions are checked against its length.
  void takeHeap(size_t i) {
    void* data = nullptr;
    if (!failed && napi_get_arraybuffer_info(env, argv[i], &data, &heapBytes) != napi_ok)
      fail("expected the wasm heap's ArrayBuffer");
    heap = static_cast<uint8_t*>(data);
  }

  // The float32 tensor whose byte offset is argument i and whose byte length is argument i + 1, which
  // the kernel will read or write as `floats` consecutive floats from its start: the tensor must lie in
  // the heap, be aligned, and hold them.
  float* tensor(size_t i, const char* name, size_t floats) {
    const int64_t offset = integer(i);
    const int64_t bytes = integer(i + 1);
    if (failed) return nullptr;
    size_t needed = 0;
    if (__builtin_mul_overflow(floats, sizeof(float), &needed)) {
      fail("tensor %s: %zu floats overflow a byte count", name, floats);
      return nullptr;
    }
    if (offset < 0 || bytes < 0 || offset % 4 != 0 || static_cast<size_t>(offset) > heapBytes ||
        static_cast<size_t>(bytes) > heapBytes - static_cast<size_t>(offset)) {
      fail("tensor %s (%lld bytes at %lld) lies outside the wasm heap (%zu bytes) or is misaligned", name,
           static_cast<long long>(bytes), static_cast<long long>(offset), heapBytes);
      return nullptr;
    }
    if (needed > static_cast<size_t>(bytes)) {
      fail("tensor %s holds %lld bytes; the kernel would touch %zu", name, static_cast<long long>(bytes),
           needed);
      return nullptr;
    }
    return reinterpret_cast<float*>(heap + offset);
  }

  // Whether argument i (a tensor's offset) says "no tensor" (negative), when it is there at all.
  bool absent(size_t i) { return argc <= i || integer(i) < 0; }
};

napi_value undefinedValue(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

napi_value numberValue(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

// supported(): whether this CPU can run the kernels (AVX2 and FMA).
napi_value SupportedJs(napi_env env, napi_callback_info) {
  napi_value v;
  napi_get_boolean(env, cpuSupportsKernels(), &v);
  return v;
}

// setThreads(n): threads used by large matrix products, the calling thread included.
napi_value SetThreadsJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 1);
  const int64_t n = a.integer(0);
  if (a.failed) return nullptr;
  setThreads(static_cast<int>(n < 1 ? 1 : n > 64 ? 64 : n));
  return numberValue(env, threads());
}

// gemm(heap, a, aBytes, b, bBytes, c, cBytes, bias | -1, biasBytes, m, n, k, flags[, mask, maskBytes]):
// each tensor is a byte offset and a byte length; flags 1 transA, 2 transB, 4 relu; mask, when given and
// >= 0, multiplies the result by step(mask) (Gemm::stepMask).
napi_value GemmJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 13);
  a.takeHeap(0);
  const int m = a.dimension(9, "m"), n = a.dimension(10, "n"), k = a.dimension(11, "k");
  const int64_t flags = a.integer(12);
  const size_t mk = a.times(m, k, "m x k"), kn = a.times(k, n, "k x n"), mn = a.times(m, n, "m x n");
  if (a.times(mn, k, "m x n x k") > static_cast<size_t>(LONG_MAX)) a.fail("m x n x k overflows a long");
  Gemm g{};
  g.m = m;
  g.n = n;
  g.k = k;
  g.transA = flags & 1;
  g.transB = flags & 2;
  g.relu = flags & 4;
  g.a = a.tensor(1, "a", mk);
  g.b = a.tensor(3, "b", kn);
  g.c = a.tensor(5, "c", mn);
  g.bias = a.absent(7) ? nullptr : a.tensor(7, "bias", n);
  g.stepMask = a.absent(13) ? nullptr : a.tensor(13, "mask", mn);
  if (a.failed) return nullptr;
  if (const size_t missing = gemm(g)) {
    char message[128];
    std::snprintf(message, sizeof message, "the native kernels could not allocate %zu bytes of scratch", missing);
    napi_throw_error(env, "ERR_NASHBOARD_OUT_OF_MEMORY", message);
    return nullptr;
  }
  return undefinedValue(env);
}

// adam(heap, p, pBytes, g, gBytes, m, mBytes, v, vBytes, out, outBytes, n, b1, b2, stepSize, epsHat,
// oneMinusB1, oneMinusB2): one tensor's update, m and v in place, the new parameters to out (which may be
// p). 1 - b is passed in because JavaScript computes it in double before tfjs rounds it to float32, and
// the result must match that rounding.
napi_value AdamJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 18);
  a.takeHeap(0);
  const size_t n = a.count(11, "n");
  const float* p = a.tensor(1, "p", n);
  const float* g = a.tensor(3, "g", n);
  float* m = a.tensor(5, "m", n);
  float* v = a.tensor(7, "v", n);
  float* out = a.tensor(9, "out", n);
  AdamCoefficients c{};
  c.beta1 = static_cast<float>(a.number(12));
  c.beta2 = static_cast<float>(a.number(13));
  c.stepSize = static_cast<float>(a.number(14));
  c.epsHat = static_cast<float>(a.number(15));
  c.oneMinusBeta1 = static_cast<float>(a.number(16));
  c.oneMinusBeta2 = static_cast<float>(a.number(17));
  if (a.failed) return nullptr;
  adam(p, g, m, v, out, static_cast<long>(n), c);
  return undefinedValue(env);
}

// sumSquares(heap, x, xBytes, n): sum of squares of n floats, in double.
napi_value SumSquaresJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 4);
  a.takeHeap(0);
  const size_t n = a.count(3, "n");
  const float* x = a.tensor(1, "x", n);
  if (a.failed) return nullptr;
  return numberValue(env, sumSquares(x, static_cast<long>(n)));
}

// reluGrad(heap, dy, dyBytes, y, yBytes, out, outBytes, n)
napi_value ReluGradJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 8);
  a.takeHeap(0);
  const size_t n = a.count(7, "n");
  const float* dy = a.tensor(1, "dy", n);
  const float* y = a.tensor(3, "y", n);
  float* out = a.tensor(5, "out", n);
  if (a.failed) return nullptr;
  reluGrad(dy, y, out, static_cast<long>(n));
  return undefinedValue(env);
}

// columnSum(heap, x, xBytes, out, outBytes, rows, cols)
napi_value ColumnSumJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 7);
  a.takeHeap(0);
  const size_t rows = a.count(5, "rows"), cols = a.count(6, "cols");
  const float* x = a.tensor(1, "x", a.times(rows, cols, "rows x cols"));
  float* out = a.tensor(3, "out", cols);
  if (a.failed) return nullptr;
  columnSum(x, out, static_cast<long>(rows), static_cast<long>(cols));
  return undefinedValue(env);
}

// fillNormal(out: Float32Array, state: Int32Array(4), spare: number, scale: number) -> spare: draws like
// Rng.fillNormal into `out`, advancing the xoshiro state in place; returns the new pending spare (NaN
// when none). Not on the wasm heap: the trainer draws noise into JavaScript arrays.
napi_value FillNormalJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 4);
  if (a.failed) return nullptr;
  napi_typedarray_type outType, stateType;
  size_t outLength = 0, stateLength = 0;
  void* outData = nullptr;
  void* stateData = nullptr;
  if (napi_get_typedarray_info(env, a.argv[0], &outType, &outLength, &outData, nullptr, nullptr) != napi_ok ||
      outType != napi_float32_array ||
      napi_get_typedarray_info(env, a.argv[1], &stateType, &stateLength, &stateData, nullptr, nullptr) != napi_ok ||
      (stateType != napi_uint32_array && stateType != napi_int32_array) || stateLength != 4) {
    a.fail("%s", "fillNormal(out: Float32Array, state: Int32Array(4), spare, scale)");
    return nullptr;
  }
  NormalState state{};
  auto* words = static_cast<uint32_t*>(stateData);
  for (int i = 0; i < 4; i++) state.s[i] = words[i];
  state.spare = a.number(2);
  const double scale = a.number(3);
  if (a.failed) return nullptr;
  fillNormal(state, static_cast<float*>(outData), static_cast<long>(outLength), scale);
  for (int i = 0; i < 4; i++) words[i] = state.s[i];
  return numberValue(env, state.spare);
}

// normalIsVectorised(): whether fillNormal uses libmvec's four-wide functions.
napi_value NormalIsVectorisedJs(napi_env env, napi_callback_info) {
  napi_value v;
  napi_get_boolean(env, normalIsVectorised(), &v);
  return v;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"supported", nullptr, SupportedJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreadsJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, GemmJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adam", nullptr, AdamJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumSquares", nullptr, SumSquaresJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluGrad", nullptr, ReluGradJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"columnSum", nullptr, ColumnSumJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fillNormal", nullptr, FillNormalJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"normalIsVectorised", nullptr, NormalIsVectorisedJs, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
