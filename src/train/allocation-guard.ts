/**
 * tfjs-wasm allocates every tensor with the wasm module's malloc, which returns 0 (NULL) when the heap
 * cannot grow, and tfjs uses that offset as it is: the tensor overwrites the heap's start and the run
 * dies later with "memory access out of bounds" somewhere unrelated. Checking the result at the one
 * place every allocation passes turns that into an error a user can act on (a smaller batch or
 * networks); the CLI's edge recognises it by its code.
 */
export const OUT_OF_MEMORY = "ERR_NASHBOARD_OUT_OF_MEMORY";

export class BackendOutOfMemory extends Error {
  readonly code = OUT_OF_MEMORY;

  constructor(readonly bytes: number) {
    super(`the tfjs-wasm heap could not allocate ${bytes} bytes`);
    this.name = "BackendOutOfMemory";
  }
}

interface Malloc {
  _malloc(bytes: number): number;
}

/**
 * The wasm32 heap's ceiling (tfjs-wasm's getHeapMax). malloc takes a 32-bit size, so a larger request
 * would wrap around to a small one and "succeed": it is refused before the call.
 */
const HEAP_MAX = 4294901760;

const guarded = new WeakSet<Malloc>();

/**
 * Wraps `wasm._malloc` so that a failed or impossible allocation throws instead of returning offset 0.
 * Emscripten's `_malloc` is a stub that, on its first call, replaces `Module._malloc` with the raw wasm
 * export: a plain wrapper would be overwritten by the first allocation. So the property becomes an
 * accessor whose setter takes the replacement as the function the guard calls. Idempotent.
 */
export function guardAllocations(wasm: Malloc): void {
  if (guarded.has(wasm)) return;
  guarded.add(wasm);
  let malloc = wasm._malloc;
  const guard = (bytes: number) => {
    if (!(bytes <= HEAP_MAX)) throw new BackendOutOfMemory(bytes);
    const offset = malloc.call(wasm, bytes);
    if (offset === 0 && bytes > 0) throw new BackendOutOfMemory(bytes);
    return offset;
  };
  Object.defineProperty(wasm, "_malloc", {
    configurable: true,
    enumerable: true,
    get: () => guard,
    set: (replacement: (bytes: number) => number) => {
      malloc = replacement;
    },
  });
}
