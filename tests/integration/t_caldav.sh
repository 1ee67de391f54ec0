# CalDAV against a real Radicale (tests/servers/radicale.sh, 127.0.0.1,
# bcrypt htpasswd, temporary storage): create, re-run without change (no
# request), reschedule, a 412 after an edit on the server, wrong password,
# cancel; then server down (change queued) and up (delivered exactly once).
# The steps are tests/unit/test_caldav.c, run in phases.
. tests/integration/lib.sh

T=build/asan/tests/test_caldav
[ -x "$T" ] || make -s "$T" >/dev/null
RD=$TMP/radicale
mkdir -p "$RD"
trap 'tests/servers/radicale.sh stop "$RD"; [ -s "$TMP/etagdav/pid" ] &&
    kill "$(cat "$TMP/etagdav/pid")" 2>/dev/null; rm -rf "$TMP"' EXIT
PASS='s3cret-Pass-42'
PORT=$(tests/servers/radicale.sh start "$RD" ofii "$PASS") || { fail "radicale did not start"; finish; }
ok "radicale started on 127.0.0.1:$PORT"
URL="http://127.0.0.1:$PORT/ofii/convocations/"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "ofii:$PASS" -X MKCALENDAR "$URL")
[ "$code" = 201 ] && ok "collection created" || fail "MKCALENDAR: $code"
printf '%s\n' "$PASS" >"$TMP/pw"
chmod 600 "$TMP/pw"
export OFII_TEST_CALDAV_URL="$URL" OFII_TEST_CALDAV_USER=ofii \
    OFII_TEST_CALDAV_PWFILE="$TMP/pw" OFII_TEST_CALDAV_DIR="$TMP"

phase() {	# phase NAME LABEL
	OFII_TEST_CALDAV_PHASE=$1 "$T" >"$TMP/$1.out" 2>&1
	if [ $? = 0 ] && grep -q "PASSED  \] 1 test" "$TMP/$1.out"; then ok "$2"
	else fail "$2"; sed 's/^/    | /' "$TMP/$1.out" | tail -15; fi
}
phase main "create, no-change re-run, reschedule, 412 retry, wrong password, cancel"
hasnt "$PASS" "$(cat "$TMP/main.out")" "password never printed"
grep -q "Wrong-Pass\|$PASS" "$TMP/state.json" && fail "password in the state" \
    || ok "no password in the state file"
n_before=$(grep -c "PUT request" "$RD/radicale.log")

tests/servers/radicale.sh stop "$RD"
phase down "server down: the change stays queued"
uid=$(sed -n 's/^queued //p' "$TMP/down.out")
[ -n "$uid" ] && ok "queued $uid" || fail "no queued uid"
tests/servers/radicale.sh restart "$RD" || fail "radicale did not restart"
phase up "server up: the queued change is delivered"
puts=$(grep -c "PUT request for '/ofii/convocations/$uid.ics'" "$RD/radicale.log")
[ "$puts" = 1 ] && ok "queued change sent exactly once" || fail "queued change sent $puts times"
n_after=$(grep -c "PUT request" "$RD/radicale.log")
[ $((n_after - n_before)) = 1 ] && ok "no other PUT after the restart" \
    || fail "$((n_after - n_before)) PUTs after the restart"
res=$(find "$RD/collections" -name '.Radicale.cache' -prune -o -name '*.ics' -print | wc -l)
[ "$res" = 2 ] && ok "two resources on the server (visit cancelled, CIR)" || fail "resources: $res"

# ETags of a stand-in server (tests/servers/etagdav.py): one above
# libcurl's 100 KiB header line is reported as such, not "Out of memory";
# one too long to keep does not stop creating and updating the event.
ED=$TMP/etagdav
mkdir -p "$ED"
/usr/bin/python3 tests/servers/etagdav.py "$ED" >"$ED/log" 2>&1 &
for i in $(seq 50); do [ -s "$ED/port" ] && break; sleep 0.1; done
export OFII_TEST_ETAGDAV_URL="http://127.0.0.1:$(cat "$ED/port")/"
phase etag "a huge ETag is named, a long one does not block updates"
grep "huge ETag:" "$TMP/etag.out" | sed 's/^/    /'
kill "$(cat "$ED/pid")" 2>/dev/null

finish
