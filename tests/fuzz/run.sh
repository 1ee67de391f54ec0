#!/bin/sh
# Run each libFuzzer target for SECONDS (default 20) on a corpus seeded from
# the test fixtures.  New corpus entries stay in build/fuzz/corpus-*;
# a crash leaves crash-* in build/fuzz/ and fails: turn it into a fixture.
#   tests/fuzz/run.sh SECONDS TARGET...
set -u
secs=${1:-20}
shift
cd "$(dirname "$0")/../.." || exit 1
export ASAN_OPTIONS="detect_leaks=1"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
status=0
for t in "$@"; do
	name=${t##*/}
	corpus=build/fuzz/corpus-${name#fuzz_}
	mkdir -p "$corpus"
	# Seeds: every fixture mail (they hold dates, addresses, MIME trees)
	# under 1 MiB ("-size -1M" would mean empty: find rounds up).
	find tests/fixtures -name '*.eml' -size -1024k -exec cp -n {} "$corpus"/ \; 2>/dev/null
	# and every expected reading (fuzz_reading reads JSON).
	find tests/fixtures -name '*.json' -size -1024k -exec cp -n {} "$corpus"/ \; 2>/dev/null
	# and the target's own seeds, if it has some (fuzz_imap_wire: server
	# replies, after the byte that picks the command they answer).
	if [ -d tests/fuzz/seeds/"${name#fuzz_}" ]; then
		cp -n tests/fuzz/seeds/"${name#fuzz_}"/* "$corpus"/
	fi
	echo "== $name: ${secs}s on $(ls "$corpus" | wc -l) corpus files"
	if ! "$t" -max_total_time="$secs" -max_len=262144 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix=build/fuzz/ -print_final_stats=1 \
	    "$corpus" 2>build/fuzz/"$name".log; then
		tail -40 build/fuzz/"$name".log
		echo "$name: FAILED (see build/fuzz/$name.log)"
		status=1
	else
		grep -E 'stat::number_of_executed_units|stat::new_units_added' \
		    build/fuzz/"$name".log | sed "s/^/  /"
		echo "$name: ok, no crash"
	fi
done
exit $status
