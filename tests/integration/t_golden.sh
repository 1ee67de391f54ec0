# Golden files: `parse --json` on every fixture mail must give exactly the
# expected object (the shared samples and every generated set of
# tests/fixtures/mail/), and an unreadable file is an error that does not
# stop the others.
. tests/integration/lib.sh

dirs=tests/fixtures/samples
for d in tests/fixtures/mail/*/; do
	dirs="$dirs ${d%/}"
done
if /usr/bin/python3 tests/golden.py "$BIN" $dirs; then
	ok "golden: every fixture mail parses to its expected JSON"
else
	fail "golden: differences above"
fi

# The reader under AddressSanitizer + UndefinedBehaviorSanitizer on every
# fixture mail: no error, no leak (a leak is an error here).
bad=0
for f in tests/fixtures/samples/*.eml tests/fixtures/mail/*/*.eml; do
	if ! build/asan/ofii-watch-reader <"$f" >/dev/null 2>"$TMP/san.err" ||
	    grep -q -E 'Sanitizer|runtime error' "$TMP/san.err"; then
		echo "reader under sanitizers failed on $f:"
		head -20 "$TMP/san.err"
		bad=$((bad + 1))
	fi
done
[ "$bad" = 0 ] && ok "the sanitized reader reads every fixture mail cleanly" \
    || fail "the sanitized reader failed on $bad mail(s)"

# Several files, one missing: the others are still printed, exit 1.
S=tests/fixtures/samples
run "$BIN" -c /dev/null parse "$S/02_tours_alternative_time_window.eml" \
    "$TMP/missing.eml" "$S/06_ofii_cir_civic_training_info.eml"
expect_rc 1 "parse with an unreadable file"
has "$TMP/missing.eml: No such file or directory" "$ERR" "unreadable file named"
[ "$(printf '%s\n' "$OUT" | wc -l)" = 2 ] && ok "the two other mails printed" \
    || fail "expected 2 JSON lines, got: $OUT"

# JSON Lines: one object per line, valid JSON, no raw control characters.
printf '%s\n' "$OUT" | /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    assert not any(ord(c) < 32 for c in line.rstrip("\n")), "control char"
' && ok "output is JSON Lines without control characters" \
  || fail "output is not clean JSON Lines"

# Standard input.
run sh -c "\"$BIN\" -c /dev/null parse - < $S/04_pau_reschedule_old_new.eml"
expect_rc 0 "parse from stdin"
has '"kind":"reschedule"' "$OUT" "stdin mail understood"

finish
