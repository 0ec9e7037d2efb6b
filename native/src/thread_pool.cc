// The task is published as one 64-bit word, (epoch << 32) | next chunk. A thread claims a chunk by a
// compare-and-swap on that word, which fails if a newer task has replaced the one it read, so a late
// worker can never run a chunk of a finished task. The caller waits only for chunks that a worker has
// actually claimed. Workers spin briefly between tasks (the trainer issues them microseconds apart and
// waking a sleeping thread costs tens of microseconds), then sleep, so an idle trainer or a busy
// machine does not lose a core to spinning.
#include "thread_pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NASHBOARD_PAUSE() _mm_pause()
#else
#define NASHBOARD_PAUSE() std::this_thread::yield()
#endif

namespace nashboard {
namespace {

constexpr auto kSpin = std::chrono::microseconds(200);

struct Pool {
  std::atomic<uint64_t> state{0};  // (epoch << 32) | next unclaimed chunk
  std::atomic<ChunkFunc> fn{nullptr};
  std::atomic<void*> context{nullptr};
  std::atomic<int> chunks{0};
  std::atomic<int> done{0};
  std::atomic<int> sleepers{0};
  std::mutex mutex;
  std::condition_variable wake;
  int size = 1;     // threads taking part, the caller included
  int workers = 0;  // threads started (never stopped; extra ones just stay asleep)
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: detached workers may outlive static destructors
  return *p;
}

uint32_t epochOf(uint64_t s) { return static_cast<uint32_t>(s >> 32); }

// Claims and runs chunks of the task published as `seen` until none is left or a newer task appears.
void runChunks(Pool& p, uint64_t seen) {
  const ChunkFunc fn = p.fn.load(std::memory_order_relaxed);
  void* const context = p.context.load(std::memory_order_relaxed);
  const int chunks = p.chunks.load(std::memory_order_relaxed);
  uint64_t s = seen;
  for (;;) {
    if (static_cast<int>(s & 0xffffffffu) >= chunks) return;
    // Success proves the task is still the one whose fields were read above.
    if (!p.state.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
      if (epochOf(s) != epochOf(seen)) return;
      continue;
    }
    fn(context, static_cast<int>(s & 0xffffffffu));
    p.done.fetch_add(1, std::memory_order_release);
    s = p.state.load(std::memory_order_acquire);
    if (epochOf(s) != epochOf(seen)) return;
  }
}

void workerLoop() {
  Pool& p = pool();
  uint32_t lastEpoch = epochOf(p.state.load(std::memory_order_acquire));
  for (;;) {
    auto spinUntil = std::chrono::steady_clock::now() + kSpin;
    uint64_t s = p.state.load(std::memory_order_acquire);
    for (int i = 0; epochOf(s) == lastEpoch; i++) {
      NASHBOARD_PAUSE();
      if ((i & 63) == 63 && std::chrono::steady_clock::now() > spinUntil) {
        std::unique_lock<std::mutex> lock(p.mutex);
        p.sleepers.fetch_add(1, std::memory_order_acq_rel);
        p.wake.wait(lock, [&] { return epochOf(p.state.load(std::memory_order_acquire)) != lastEpoch; });
        p.sleepers.fetch_sub(1, std::memory_order_acq_rel);
      }
      s = p.state.load(std::memory_order_acquire);
    }
    lastEpoch = epochOf(s);
    runChunks(p, s);
  }
}

}  // namespace

void setThreads(int threads) {
  Pool& p = pool();
  if (threads < 1) threads = 1;
  while (p.workers + 1 < threads) {
    std::thread(workerLoop).detach();
    p.workers++;
  }
  p.size = threads;
}

int threads() { return pool().size; }

void parallelFor(int chunks, ChunkFunc fn, void* context) {
  Pool& p = pool();
  if (chunks <= 0) return;
  if (p.size <= 1 || chunks == 1) {
    for (int c = 0; c < chunks; c++) fn(context, c);
    return;
  }
  p.fn.store(fn, std::memory_order_relaxed);
  p.context.store(context, std::memory_order_relaxed);
  p.chunks.store(chunks, std::memory_order_relaxed);
  p.done.store(0, std::memory_order_relaxed);
  const uint64_t published = (static_cast<uint64_t>(epochOf(p.state.load()) + 1) << 32);
  {
    // Under the mutex, so a worker about to sleep either sees the new epoch or is woken.
    std::lock_guard<std::mutex> lock(p.mutex);
    p.state.store(published, std::memory_order_release);
  }
  if (p.sleepers.load(std::memory_order_acquire) > 0) p.wake.notify_all();
  runChunks(p, published);
  while (p.done.load(std::memory_order_acquire) < chunks) NASHBOARD_PAUSE();
}

}  // namespace nashboard
