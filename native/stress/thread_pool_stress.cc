// A stress test of the thread pool (../src/thread_pool.cc) on its own, for ThreadSanitizer: run-tsan.sh
// builds it with -fsanitize=thread and runs it. Tasks follow each other as fast as the trainer issues
// them, alternately small and large (a late worker holding a small task's fields must not run a chunk
// of the large one), with a pause now and then so that workers fall asleep and must be woken.
//
// Each task lives on the caller's stack, in the same place as the one before, and its chunks write
// plain (non-atomic) memory there: a chunk run twice, or still running when parallelFor returns, is a
// data race ThreadSanitizer reports, and a wrong count of runs that the harness reports itself.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "../src/thread_pool.h"

namespace {

constexpr int kMaxChunks = 64;

struct Task {
  long id;
  int chunks;
  int runs[kMaxChunks];   // how many times each chunk ran: must be exactly once
  long value[kMaxChunks]; // what each chunk wrote: must be this task's
};

void runChunk(void* context, int chunk) {
  Task& t = *static_cast<Task*>(context);
  t.runs[chunk] += 1;
  t.value[chunk] = t.id * kMaxChunks + chunk;
}

// Issues `tasks` tasks one after another, as the trainer's JavaScript thread does; returns how many
// chunks ran a wrong number of times or for a wrong task.
long issue(long tasks) {
  long wrong = 0;
  for (long i = 0; i < tasks; i++) {
    Task t;
    t.id = i;
    t.chunks = i % 2 == 0 ? 2 + static_cast<int>(i % 5) : kMaxChunks - static_cast<int>(i % 7);
    for (int c = 0; c < kMaxChunks; c++) {
      t.runs[c] = 0;
      t.value[c] = -1;
    }
    nashboard::parallelFor(t.chunks, runChunk, &t);
    for (int c = 0; c < kMaxChunks; c++) {
      const bool ran = c < t.chunks;
      if (t.runs[c] != (ran ? 1 : 0) || t.value[c] != (ran ? i * kMaxChunks + c : -1)) wrong++;
    }
    // Now and then long enough for the workers to stop spinning and sleep (the pool spins 200 us).
    if (i % 1000 == 999) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  return wrong;
}

}  // namespace

// thread_pool_stress [tasks=100000] [threads=4] [callers=1]: with two callers (two JavaScript threads
// using the addon) the second runs its tasks serially while the first holds the pool.
int main(int argc, char** argv) {
  const long tasks = argc > 1 ? std::atol(argv[1]) : 100000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 4;
  const int callers = argc > 3 ? std::atoi(argv[3]) : 1;
  nashboard::setThreads(threads);
  std::vector<long> wrong(callers, 0);
  std::vector<std::thread> others;
  for (int c = 1; c < callers; c++) others.emplace_back([&wrong, c, tasks] { wrong[c] = issue(tasks); });
  wrong[0] = issue(tasks);
  for (auto& t : others) t.join();
  long total = 0;
  for (long w : wrong) total += w;
  std::printf("%ld tasks x %d caller(s) on %d threads: %ld chunk(s) run a wrong number of times or for a "
              "wrong task\n", tasks, callers, threads, total);
  return total == 0 ? 0 : 1;
}
