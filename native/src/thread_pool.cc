// The task is published as one 64-bit word, (epoch << 32) | next chunk. A thread claims a chunk by a
// compare-and-swap on that word, which fails if a newer task has replaced the one it read, so a late
// worker can never run a chunk of a finished task. The caller waits only for chunks that a worker has
// actually claimed. Workers spin briefly between tasks (the trainer issues them microseconds apart and
// waking a sleeping thread costs tens of microseconds), then sleep, so an idle trainer or a busy
// machine does not lose a core to spinning.
//
// Publication order (the caller; issue 16 found a worker running a chunk of the next task when the
// fields were simply overwritten with relaxed stores before the new epoch was published):
//   1. close the finished task: its word becomes (epoch, kClosed), so no chunk of it can be claimed;
//   2. write the new task's fields with release stores, and reset `done`;
//   3. publish (epoch + 1, 0) with a release store, under the mutex, and wake the sleepers.
// A worker reads the word (acquire), then the fields (acquire), then claims with a CAS from the word it
// read. A CAS that succeeds proves the fields it read are that word's task: had it read any field of a
// newer task, it would also see the close of step 1, which that field's store follows, and its CAS
// would fail. native/stress/ runs this under ThreadSanitizer (native/README.md, "The thread pool").
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
// The "next chunk" of a closed task: no task has that many chunks, so nothing can be claimed.
constexpr uint64_t kClosed = 0xffffffffu;

struct Pool {
  std::atomic<uint64_t> state{0};  // (epoch << 32) | next unclaimed chunk
  std::atomic<ChunkFunc> fn{nullptr};
  std::atomic<void*> context{nullptr};
  std::atomic<int> chunks{0};
  std::atomic<int> done{0};
  std::atomic<int> sleepers{0};
  std::mutex mutex;
  std::condition_variable wake;
  std::mutex caller;  // one parallelFor at a time (a second caller, another JS thread, runs serially)
  int size = 1;     // threads taking part, the caller included
  int workers = 0;  // threads started (never stopped; extra ones just stay asleep)
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: detached workers may outlive static destructors
  return *p;
}

uint32_t epochOf(uint64_t s) { return static_cast<uint32_t>(s >> 32); }
uint64_t nextOf(uint64_t s) { return s & 0xffffffffu; }

// Claims and runs chunks of the task published as `seen` (read with acquire) until none is left or a
// newer task appears. The fields may already belong to a newer task; then every claim fails.
void runChunks(Pool& p, uint64_t seen) {
  const ChunkFunc fn = p.fn.load(std::memory_order_acquire);
  void* const context = p.context.load(std::memory_order_acquire);
  const uint64_t chunks = static_cast<uint64_t>(p.chunks.load(std::memory_order_acquire));
  uint64_t s = seen;
  for (;;) {
    if (nextOf(s) >= chunks) return;
    // Success proves the task is still the one whose fields were read above (see the top of the file).
    if (!p.state.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
      if (epochOf(s) != epochOf(seen)) return;
      continue;
    }
    fn(context, static_cast<int>(nextOf(s)));
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
  const auto serially = [&] {
    for (int c = 0; c < chunks; c++) fn(context, c);
  };
  if (p.size <= 1 || chunks == 1) return serially();
  std::unique_lock<std::mutex> owner(p.caller, std::try_to_lock);
  if (!owner.owns_lock()) return serially();
  // Every chunk of the last task is claimed and done, so no claim can succeed until the next is
  // published: the close needs no ordering of its own (the release stores after it carry it).
  const uint32_t epoch = epochOf(p.state.load(std::memory_order_relaxed));
  p.state.store((static_cast<uint64_t>(epoch) << 32) | kClosed, std::memory_order_relaxed);
  p.fn.store(fn, std::memory_order_release);
  p.context.store(context, std::memory_order_release);
  p.chunks.store(chunks, std::memory_order_release);
  p.done.store(0, std::memory_order_relaxed);
  const uint64_t published = static_cast<uint64_t>(epoch + 1) << 32;
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
