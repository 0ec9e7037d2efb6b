/**
 * One byte range of an HTTP Range header (RFC 9110 §14.1.2), as browsers send it for <audio>: `bytes=0-`
 * to start, `bytes=<n>-` to seek, `bytes=-<n>` for a tail. Several ranges, other units or a range past
 * the end are answered with the whole body (a 200, which every client accepts), so only the one form
 * that matters is read.
 */

/** The [start, end] (inclusive) a Range header asks of a body of `size` bytes, or undefined: send it all. */
export function byteRange(header: string | undefined, size: number): [number, number] | undefined {
  if (header === undefined || size === 0) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const tail = Math.min(Number(m[2]), size);
    return tail === 0 ? undefined : [size - tail, size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start < size && start <= end ? [start, end] : undefined;
}
