#!/bin/sh
# Run the cmocka unit tests (built under ASan + UBSan) from the top of the
# tree, so fixtures are found as tests/...  Prints every cmocka summary and
# exits non-zero if any test binary fails.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}"
failed=""
for t in "$@"; do
	echo "== ${t##*/}"
	"$t" || failed="$failed ${t##*/}"
done
if [ -n "$failed" ]; then
	echo "unit tests FAILED:$failed"
	exit 1
fi
echo "unit tests: all $# binaries passed"
