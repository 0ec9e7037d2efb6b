#!/usr/bin/env bash
# Builds the thread pool's stress test (thread_pool_stress.cc) with ThreadSanitizer and runs it: tasks
# published back to back, small and large in turn, by one caller and by two. Exit 0 only when
# ThreadSanitizer reports nothing and every chunk ran exactly once for its own task.
#
#   bash native/stress/run-tsan.sh                  # the pool in native/src
#   bash native/stress/run-tsan.sh old-pool.cc      # another version of it, e.g. from git show REV:native/src/thread_pool.cc
#
# Needs a C++17 compiler with ThreadSanitizer's runtime (Debian's g++ has it; CXX picks another).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pool="${1:-$here/../src/thread_pool.cc}"
cxx="${CXX:-g++}"
out="$(mktemp -d "${TMPDIR:-/tmp}/nashboard-tsan.XXXXXX")"
trap 'rm -rf "$out"' EXIT
if ! "$cxx" -std=c++17 -O1 -g -fsanitize=thread -pthread -I "$here/../src" -x c++ "$pool" -x none \
  "$here/thread_pool_stress.cc" -o "$out/stress" 2>"$out/build.log"; then
  echo "tsan: could not build with $cxx -fsanitize=thread: $(head -n 1 "$out/build.log")" >&2
  exit 2
fi
echo "tsan: ${1:-native/src/thread_pool.cc} built with $("$cxx" --version | head -n 1)"
failed=0
# tasks, threads (the caller included), callers
for run in "100000 2 1" "100000 4 1" "20000 4 2"; do
  # shellcheck disable=SC2086
  TSAN_OPTIONS="exitcode=66" "$out/stress" $run >"$out/run.log" 2>&1
  status=$?
  warnings=$(grep -c '^WARNING: ThreadSanitizer' "$out/run.log")
  echo "tsan: $(tail -n 1 "$out/run.log"); ThreadSanitizer warnings: $warnings (exit $status)"
  if [ "$status" -ne 0 ]; then
    failed=1
    # the first report: the racing access and the one before it, each with its top frames
    { grep -m 1 -A 4 '^WARNING: ThreadSanitizer' "$out/run.log"; grep -m 1 -A 3 '^  Previous' "$out/run.log"; } |
      sed -e "s|$here/||g" -e 's/^/    /'
  fi
done
exit "$failed"
