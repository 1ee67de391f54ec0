#!/bin/sh
# Run every integration test (tests/integration/t_*.sh) against the built
# binaries; each script prints "ok"/"FAIL" lines and exits non-zero on a
# failure.  Servers they need (Dovecot, Radicale) they start and stop
# themselves, on 127.0.0.1, in temporary directories.
cd "$(dirname "$0")/../.." || exit 1
failed=""
n=0
for t in tests/integration/t_*.sh; do
	n=$((n + 1))
	echo "== ${t##*/}"
	sh "$t" || failed="$failed ${t##*/}"
done
if [ -n "$failed" ]; then
	echo "integration tests FAILED:$failed"
	exit 1
fi
echo "integration tests: all $n scripts passed"
