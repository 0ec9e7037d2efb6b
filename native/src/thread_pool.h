// A tiny pool that shares the chunks of one task between the calling thread and its workers.
#pragma once

namespace nashboard {

using ChunkFunc = void (*)(void* context, int chunk);

// Runs fn(context, c) once for every c in [0, chunks) and returns when all are done. Chunks are claimed
// one at a time by whichever thread is free, the caller included, so a worker the OS has not scheduled
// delays nothing: the caller then simply runs every chunk itself.
void parallelFor(int chunks, ChunkFunc fn, void* context);

// Threads taking part (the caller included; 1 = no workers). Default 1.
void setThreads(int threads);
int threads();

}  // namespace nashboard
