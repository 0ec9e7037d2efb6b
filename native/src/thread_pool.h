// A tiny fork-join pool: the calling thread and (threads - 1) workers each run one part of a task.
#pragma once

namespace nashboard {

using PartFunc = void (*)(void* context, int part, int parts);

// Runs fn(context, i, parts) for every i in [0, parts), part 0 on the calling thread, and returns when
// all are done. parts is capped at threads().
void parallelRun(int parts, PartFunc fn, void* context);

// Threads taking part in parallelRun, the caller included (1 = no workers). Default 1.
void setThreads(int threads);
int threads();

}  // namespace nashboard
