// The trainer's element-wise steps, done in place or in one pass over memory instead of one tfjs op
// (one allocation, one pass) per arithmetic operation.
#pragma once

namespace nashboard {

struct AdamCoefficients {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, epsHat;
};

// PyTorch's Adam with the bias corrections folded into stepSize and epsHat, m and v in place:
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  out = p - m / (sqrt(v) + epsHat) * stepSize
// Each operation is rounded to float32 in the order of the plain tfjs expression, so both agree bit for
// bit. out may be p.
void adam(const float* p, const float* g, float* m, float* v, float* out, long n, const AdamCoefficients& c);

// sum of x^2, accumulated in double.
double sumSquares(const float* x, long n);

// dy * step(y): the gradient through a ReLU from its output (step(NaN) = NaN, as tfjs's Step).
void reluGrad(const float* dy, const float* y, float* out, long n);

// out[j] = sum over i of x[i][j], x [rows, cols] row-major, summed in increasing i.
void columnSum(const float* x, float* out, long rows, long cols);

}  // namespace nashboard
