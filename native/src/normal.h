// Standard normal draws exactly as src/rng.ts's Rng.fillNormal makes them (xoshiro128** uniforms,
// Box–Muller in double, both values of each pair used), several times faster: four pairs at a time
// with glibc's vector math (libmvec, loaded at run time) when it is there, glibc's scalar functions
// otherwise.
#pragma once

#include <cstdint>

namespace nashboard {

struct NormalState {
  uint32_t s[4];  // xoshiro128** state, as Rng.state().s
  double spare;   // the pending second value of a pair, NaN when none (Rng's `spare`)
};

// Fills out[0..n) with normal draws times `scale`, advancing `state` exactly as Rng.fillNormal would.
void fillNormal(NormalState& state, float* out, long n, double scale);

// Whether the four-wide libmvec path is in use (for tests and benchmarks).
bool normalIsVectorised();

}  // namespace nashboard
