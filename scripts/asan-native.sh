#!/usr/bin/env bash
# Runs the native half of the test suite (dist/test/engine/native and the loop's native step) on an AddressSanitizer
# build of the addon: every out-of-bounds read or write, use after free or double free in
# native/ stops the process with a report. Not part of CI (a build of a few minutes, then
# the tests at a fraction of their usual speed); run it after changing native/.
#
#   scripts/asan-native.sh                  # all native tests (about 10 minutes on 2 cores)
#   scripts/asan-native.sh dist/test/engine/native/fuzz.test.js   # some of them
#   ASAN_ADDON=/tmp/gblend-asan-x/native/build/Release/gblend_native.node scripts/asan-native.sh
#                                           # reuse an instrumented build (skips the build)
#
# How: the addon's sources are built again, with -fsanitize=address, in a scratch folder
# (native/build stays the release build); the tests load that build (GBLEND_NATIVE_ADDON)
# in a Node preloaded with GCC's libasan (LD_PRELOAD: Node itself is not instrumented, so
# the runtime must come first). Leak detection is off: Node and libtorch keep memory
# until exit by design; the tests count native tensors themselves. ASan reports go to
# $OUT/asan.* (one file per process); the script fails if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${ASAN_OUT:-$(mktemp -d /tmp/gblend-asan-XXXXXX)}"
LIBASAN="$(gcc -print-file-name=libasan.so)"
[ -e "$LIBASAN" ] || { echo "asan-native: libasan not found (gcc -print-file-name=libasan.so)" >&2; exit 1; }
NODE_GYP="$(dirname "$(dirname "$(command -v node)")")/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
PREFIX="$(dirname "$(dirname "$(command -v node)")")"

ADDON="${ASAN_ADDON:-$OUT/native/build/Release/gblend_native.node}"
if [ -z "${ASAN_ADDON:-}" ]; then
  mkdir -p "$OUT/native"
  cp -r native/src native/binding.gyp "$OUT/native/"
  echo "asan-native: building the addon with -fsanitize=address in $OUT/native (log: $OUT/build.log)"
  (
    cd "$OUT/native"
    export CXXFLAGS="-fsanitize=address -fno-omit-frame-pointer -g" LDFLAGS="-fsanitize=address"
    node "$NODE_GYP" configure --nodedir="$PREFIX" && node "$NODE_GYP" build --jobs=max
  ) > "$OUT/build.log" 2>&1 || { tail -20 "$OUT/build.log"; exit 1; }
fi
[ "$(nm -D "$ADDON" | grep -c __asan_)" -gt 0 ] || { echo "asan-native: the build is not instrumented" >&2; exit 1; }

npx tsc -p .
# By default the native tests and the loop's whole native step (test/train/native-step.test.ts).
mapfile -t TESTS < <(if [ "$#" -gt 0 ]; then printf '%s\n' "$@"; else find dist/test/engine/native dist/test/train/native-step.test.js -name '*.test.js' | sort; fi)
echo "asan-native: ${#TESTS[@]} test files under ASan; reports go to $OUT/asan.*"
status=0
GBLEND_NATIVE_ADDON="$ADDON" LD_PRELOAD="$LIBASAN" \
  ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:log_path=$OUT/asan:handle_segv=1:allow_user_segv_handler=1" \
  CI="${CI:-true}" node --test "${TESTS[@]}" > "$OUT/tests.log" 2>&1 || status=$?
grep -E '^# (tests|pass|fail|skipped)' "$OUT/tests.log" || true
if compgen -G "$OUT/asan.*" > /dev/null; then
  echo "asan-native: AddressSanitizer reported errors:" >&2
  head -40 "$OUT"/asan.* >&2
  exit 1
fi
[ "$status" -eq 0 ] || { echo "asan-native: tests failed (see $OUT/tests.log)" >&2; grep -E '^not ok' "$OUT/tests.log" >&2; exit "$status"; }
echo "asan-native: no AddressSanitizer reports; tests passed"
