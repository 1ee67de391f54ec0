#!/bin/sh
# Benchmarks: figures on stdout (never pass/fail on timing).
cd "$(dirname "$0")/.." || exit 1
set -e
corpus=$(ls tests/fixtures/golden/*.eml tests/fixtures/samples/*.eml | grep -v hostile)
echo "== parsing (bench/parse_bench.c): the fixture mails, hostile ones apart"
build/bench/parse_bench 3 $corpus
echo "== hostile mails, one at a time (each must stay well under a second)"
for f in tests/fixtures/golden/*hostile*.eml tests/fixtures/samples/*hostile*.eml; do
	build/bench/parse_bench 0.5 "$f" | sed -n 's/.* in \([0-9.]*\) s: \([0-9]*\) mails.*/\2/p' |
	    awk -v f="${f##*/}" '{ if ($1 > 0) printf "  %-52s %8.2f ms/mail\n", f, 1000 / $1;
	        else printf "  %-52s (PDF: see above)\n", f }'
done
