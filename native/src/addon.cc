// The N-API surface. Every function works on tensors that live in tfjs-wasm's heap: JavaScript passes
// the heap's ArrayBuffer and byte offsets, and the kernels read and write that memory in place, so no
// tensor is ever copied between JavaScript, wasm and native code. Offsets are checked against the
// heap's length, so a wrong offset throws instead of corrupting memory.
#include <node_api.h>

#include <cstdint>
#include <cstring>

#include "elementwise.h"
#include "gemm.h"
#include "normal.h"
#include "thread_pool.h"

namespace {

using namespace nashboard;

constexpr size_t kMaxArgs = 16;

struct Args {
  napi_env env;
  napi_value argv[kMaxArgs];
  size_t argc = kMaxArgs;
  bool failed = false;
  uint8_t* heap = nullptr;
  size_t heapBytes = 0;

  Args(napi_env e, napi_callback_info info, size_t expected) : env(e) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < expected)
      fail("wrong number of arguments");
  }

  void fail(const char* message) {
    if (!failed) napi_throw_error(env, "ERR_NASHBOARD_NATIVE", message);
    failed = true;
  }

  double number(size_t i) {
    double v = 0;
    if (!failed && napi_get_value_double(env, argv[i], &v) != napi_ok) fail("expected a number");
    return v;
  }

  long integer(size_t i) {
    int64_t v = 0;
    if (!failed && napi_get_value_int64(env, argv[i], &v) != napi_ok) fail("expected an integer");
    return static_cast<long>(v);
  }

  // Argument i is the heap (an ArrayBuffer); later offsets are checked against its length.
  void takeHeap(size_t i) {
    void* data = nullptr;
    if (!failed && napi_get_arraybuffer_info(env, argv[i], &data, &heapBytes) != napi_ok)
      fail("expected the wasm heap's ArrayBuffer");
    heap = static_cast<uint8_t*>(data);
  }

  // A float32 array of `count` elements at the byte offset held by argument i.
  float* floats(size_t i, long count) {
    const long offset = integer(i);
    if (failed) return nullptr;
    if (offset < 0 || offset % 4 != 0 || count < 0 ||
        static_cast<size_t>(offset) + static_cast<size_t>(count) * 4 > heapBytes) {
      fail("a tensor offset lies outside the wasm heap");
      return nullptr;
    }
    return reinterpret_cast<float*>(heap + offset);
  }
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
  long n = a.integer(0);
  if (a.failed) return nullptr;
  setThreads(static_cast<int>(n < 1 ? 1 : n > 64 ? 64 : n));
  return numberValue(env, threads());
}

// gemm(heap, aOffset, bOffset, cOffset, biasOffset | -1, m, n, k, flags[, maskOffset]): flags 1 transA,
// 2 transB, 4 relu; maskOffset, when given and >= 0, multiplies the result by step(mask) (Gemm::stepMask).
napi_value GemmJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 9);
  a.takeHeap(0);
  const long m = a.integer(5), n = a.integer(6), k = a.integer(7), flags = a.integer(8);
  if (a.failed) return nullptr;
  Gemm g{};
  g.m = static_cast<int>(m);
  g.n = static_cast<int>(n);
  g.k = static_cast<int>(k);
  g.transA = flags & 1;
  g.transB = flags & 2;
  g.relu = flags & 4;
  g.a = a.floats(1, m * k);
  g.b = a.floats(2, k * n);
  g.c = a.floats(3, m * n);
  g.bias = a.integer(4) < 0 ? nullptr : a.floats(4, n);
  g.stepMask = a.argc > 9 && a.integer(9) >= 0 ? a.floats(9, m * n) : nullptr;
  if (a.failed) return nullptr;
  gemm(g);
  return undefinedValue(env);
}

// adam(heap, pOffset, gOffset, mOffset, vOffset, outOffset, n, b1, b2, stepSize, epsHat, oneMinusB1,
// oneMinusB2): one tensor's update, m and v in place, the new parameters to out (which may be p). 1 - b
// is passed in because JavaScript computes it in double before tfjs rounds it to float32, and the
// result must match that rounding.
napi_value AdamJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 13);
  a.takeHeap(0);
  const long n = a.integer(6);
  const float* p = a.floats(1, n);
  const float* g = a.floats(2, n);
  float* m = a.floats(3, n);
  float* v = a.floats(4, n);
  float* out = a.floats(5, n);
  AdamCoefficients c{};
  c.beta1 = static_cast<float>(a.number(7));
  c.beta2 = static_cast<float>(a.number(8));
  c.stepSize = static_cast<float>(a.number(9));
  c.epsHat = static_cast<float>(a.number(10));
  c.oneMinusBeta1 = static_cast<float>(a.number(11));
  c.oneMinusBeta2 = static_cast<float>(a.number(12));
  if (a.failed) return nullptr;
  adam(p, g, m, v, out, n, c);
  return undefinedValue(env);
}

// sumSquares(heap, offset, n): sum of squares of n floats, in double.
napi_value SumSquaresJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 3);
  a.takeHeap(0);
  const long n = a.integer(2);
  const float* x = a.floats(1, n);
  if (a.failed) return nullptr;
  return numberValue(env, sumSquares(x, n));
}

// reluGrad(heap, dyOffset, yOffset, outOffset, n)
napi_value ReluGradJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 5);
  a.takeHeap(0);
  const long n = a.integer(4);
  const float* dy = a.floats(1, n);
  const float* y = a.floats(2, n);
  float* out = a.floats(3, n);
  if (a.failed) return nullptr;
  reluGrad(dy, y, out, n);
  return undefinedValue(env);
}

// columnSum(heap, xOffset, outOffset, rows, cols)
napi_value ColumnSumJs(napi_env env, napi_callback_info info) {
  Args a(env, info, 5);
  a.takeHeap(0);
  const long rows = a.integer(3), cols = a.integer(4);
  const float* x = a.floats(1, rows * cols);
  float* out = a.floats(2, cols);
  if (a.failed) return nullptr;
  columnSum(x, out, rows, cols);
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
    a.fail("fillNormal(out: Float32Array, state: Int32Array(4), spare, scale)");
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
