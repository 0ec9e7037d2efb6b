// Workers spin briefly after each task, because the trainer issues its matrix products a few
// microseconds apart and waking a sleeping thread costs tens of microseconds; past that short window
// they sleep, so an idle trainer (or a busy machine) does not lose a core to spinning.
#include "thread_pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

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
  std::mutex mutex;
  std::condition_variable wake;
  std::atomic<unsigned long> epoch{0};
  std::atomic<int> pending{0};
  PartFunc fn = nullptr;
  void* context = nullptr;
  int parts = 0;
  int size = 1;  // threads including the caller
  std::vector<std::thread> workers;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: detached workers may outlive static destructors
  return *p;
}

void workerLoop(int index) {
  Pool& p = pool();
  unsigned long seen = 0;
  for (;;) {
    auto spinUntil = std::chrono::steady_clock::now() + kSpin;
    unsigned long now = p.epoch.load(std::memory_order_acquire);
    for (int i = 0; now == seen; i++) {
      NASHBOARD_PAUSE();
      if ((i & 63) == 63 && std::chrono::steady_clock::now() > spinUntil) {
        std::unique_lock<std::mutex> lock(p.mutex);
        p.wake.wait(lock, [&] { return p.epoch.load(std::memory_order_acquire) != seen; });
      }
      now = p.epoch.load(std::memory_order_acquire);
    }
    seen = now;
    if (index < p.parts) p.fn(p.context, index, p.parts);
    p.pending.fetch_sub(1, std::memory_order_acq_rel);
  }
}

}  // namespace

void setThreads(int threads) {
  Pool& p = pool();
  if (threads < 1) threads = 1;
  // Workers are only ever added: a smaller count just leaves the extra ones idle (asleep).
  while (static_cast<int>(p.workers.size()) + 1 < threads) {
    int index = static_cast<int>(p.workers.size()) + 1;
    p.workers.emplace_back(workerLoop, index);
    p.workers.back().detach();
  }
  p.size = threads;
}

int threads() { return pool().size; }

void parallelRun(int parts, PartFunc fn, void* context) {
  Pool& p = pool();
  if (parts > p.size) parts = p.size;
  if (parts <= 1) {
    fn(context, 0, 1);
    return;
  }
  int workers = static_cast<int>(p.workers.size());
  p.fn = fn;
  p.context = context;
  p.parts = parts;
  p.pending.store(workers, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    p.epoch.fetch_add(1, std::memory_order_acq_rel);
  }
  p.wake.notify_all();
  fn(context, 0, parts);
  while (p.pending.load(std::memory_order_acquire) != 0) NASHBOARD_PAUSE();
}

}  // namespace nashboard
