// Plain loops the compiler vectorises. No fast-math and no FMA contraction (binding.gyp passes
// -ffp-contract=off): every result must round exactly as the tfjs ops it replaces do.
#include "elementwise.h"

#include <cmath>
#include <limits>

namespace nashboard {

void adam(const float* p, const float* g, float* m, float* v, float* out, long n, const AdamCoefficients& c) {
  for (long i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * c.beta1 + gi * c.oneMinusBeta1;
    const float vi = v[i] * c.beta2 + (gi * gi) * c.oneMinusBeta2;
    m[i] = mi;
    v[i] = vi;
    out[i] = p[i] - (mi / (std::sqrt(vi) + c.epsHat)) * c.stepSize;
  }
}

double sumSquares(const float* x, long n) {
  double s = 0;
  for (long i = 0; i < n; i++) s += static_cast<double>(x[i]) * x[i];
  return s;
}

void reluGrad(const float* dy, const float* y, float* out, long n) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (long i = 0; i < n; i++) {
    const float step = y[i] > 0 ? 1.0f : (y[i] == y[i] ? 0.0f : nan);
    out[i] = dy[i] * step;
  }
}

void columnSum(const float* x, float* out, long rows, long cols) {
  for (long j = 0; j < cols; j++) out[j] = 0;
  for (long i = 0; i < rows; i++) {
    const float* row = x + i * cols;
    for (long j = 0; j < cols; j++) out[j] += row[j];
  }
}

}  // namespace nashboard
