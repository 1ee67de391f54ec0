# One slow step must not starve the watchdog nor delay a stop: a server
# that trickles a candidate's body (fakeimap "trickle", 8 KiB/s) for
# longer than the watchdog interval, against a notification socket this
# test owns.
#  1. `run` with WATCHDOG_USEC=2s pings about every second all along the
#     download (the gap between two pings stays well below 2 s);
#  2. SIGTERM in the middle of the download ends the daemon within a
#     second, exit 0, without counting the interrupted download against
#     the mail (which a later pass reads);
#  3. one download has a deadline of its own (timeout + its bytes at
#     16 KiB/s): past it the download fails like any other, counted
#     towards the give-up.
. tests/integration/lib.sh

FK="$TMP/fake"
mkdir -p "$FK"
cleanup() {
	[ -n "${RUN_PID:-}" ] && kill -KILL "$RUN_PID" 2>/dev/null
	[ -n "${LISTENER:-}" ] && kill "$LISTENER" 2>/dev/null
	[ -s "$FK/fake.pid" ] && kill "$(cat "$FK/fake.pid")" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# A candidate (From ofii.fr) of 64 KiB: 8 s at 8 KiB/s.
/usr/bin/python3 - "$TMP/slow.eml" <<'EOP'
import sys
line = "Texte de remplissage pour un message lent a telecharger.\r\n"
body = line * (65536 // len(line))
with open(sys.argv[1], "w", newline="") as f:
    f.write("From: OFII <ne-pas-repondre@ofii.fr>\r\n"
            "Subject: Convocation OFII\r\n"
            "Message-ID: <slow@ofii.fr>\r\n"
            "Date: Tue, 19 Mar 2024 09:00:00 +0100\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body)
EOP
/usr/bin/python3 tests/servers/fakeimap.py "$FK" --mail "$TMP/slow.eml" \
    >"$FK/fake.log" 2>&1 &
for i in $(seq 1 50); do [ -s "$FK/fake_port" ] && break; sleep 0.1; done
[ -s "$FK/fake_port" ] || { fail "fakeimap did not start"; finish; }

SOCK="$TMP/notify.sock"
LOG="$TMP/notify.log"
/usr/bin/python3 tests/servers/notify_listener.py "$SOCK" "$LOG" \
    >"$TMP/listener.out" 2>&1 &
LISTENER=$!
for i in $(seq 50); do
	grep -q ready "$TMP/listener.out" 2>/dev/null && break
	sleep 0.1
done

# config DIR USER TIMEOUT
config() {
	mkdir -p "$1"
	cat >"$1/config" <<EOF
[account]
url = imap://127.0.0.1:$(cat "$FK/fake_port")
user = $2
password = secret
insecure = yes
folders = INBOX
timeout = $3
poll_interval = 1h
[visa]
validated_on = 2024-03-01
[calendar]
vdir = $1/cal
EOF
	chmod 600 "$1/config"
}

# start_run DIR: the daemon in the background, its pid in RUN_PID.
start_run() {
	: >"$LOG"
	env HOME="$1" XDG_STATE_HOME="$1/state" NOTIFY_SOCKET="$SOCK" \
	    WATCHDOG_USEC=2000000 OFII_WATCH_NOW=2024-03-21T10:00 \
	    sh -c 'export WATCHDOG_PID=$$; exec "$0" -c "$1" run' "$BIN" \
	    "$1/config" >"$1/run.out" 2>&1 &
	RUN_PID=$!
}

# wait_log TEXT COUNT SECONDS: until fake.log has COUNT lines with TEXT.
wait_log() {
	i=0
	while [ "$(grep -c "$1" "$FK/fake.log")" -lt "$2" ] &&
	    [ "$i" -lt $(($3 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# 1. The watchdog all along a download of 8 s.
D1="$TMP/one"
config "$D1" trickle 60s
start_run "$D1"
wait_log "trickle: done" 1 30
sleep 1
kill -TERM "$RUN_PID"
wait "$RUN_PID"
rc=$?
RUN_PID=
[ "$rc" = 0 ] && ok "run: exit 0 after SIGTERM" || fail "run: exit $rc"
/usr/bin/python3 - "$LOG" <<'EOP' >"$TMP/check.out" 2>&1
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1])]
wd = [m["t"] for m in msgs if "WATCHDOG=1" in m["msg"].split("\n")]
gaps = [round(b - a, 2) for a, b in zip(wd, wd[1:])]
print(("ok   " if len(wd) >= 8 else "FAIL ") +
      f"WATCHDOG=1 sent all along the download ({len(wd)} times)")
print(("ok   " if gaps and max(gaps) <= 1.5 else "FAIL ") +
      f"longest gap between two pings: {max(gaps) if gaps else '-'} s "
      "(interval 2 s)")
EOP
cat "$TMP/check.out"
grep -q '^FAIL' "$TMP/check.out" && FAILS=$((FAILS + 1))
has "trickle: done UID 1" "$(cat "$FK/fake.log")" "the body was downloaded whole"

# 2. SIGTERM in the middle of the download.
D2="$TMP/two"
config "$D2" trickle 60s
start_run "$D2"
wait_log "trickle: start" 2 30
sleep 2
t0=$(date +%s%N)
kill -TERM "$RUN_PID"
wait "$RUN_PID"
rc=$?
t1=$(date +%s%N)
RUN_PID=
ms=$(((t1 - t0) / 1000000))
[ "$rc" = 0 ] && ok "stopped mid-download: exit 0" ||
    fail "stopped mid-download: exit $rc"
if [ "$ms" -le 1500 ]; then ok "SIGTERM honoured mid-download in $ms ms"
else fail "SIGTERM honoured mid-download only after $ms ms"; fi
[ "$(grep -c "trickle: done" "$FK/fake.log")" = 1 ] &&
    ok "the download was cut short" || fail "the download went on to its end"
hasnt '"failures"' "$(cat "$D2/state/ofii-watch/state.json")" \
    "the interrupted download is not counted against the mail"
hasnt "slow@ofii.fr" "$(cat "$D2/state/ofii-watch/state.json")" \
    "the mail is not marked processed"
# The same mail served at full speed: read by the next pass.
sed -i 's/^user = trickle/user = normal/' "$D2/config"
run env HOME="$D2" XDG_STATE_HOME="$D2/state" \
    OFII_WATCH_NOW=2024-03-21T10:00 "$BIN" -c "$D2/config" poll
expect_rc 0 "the next pass"
has "1 mail(s) read" "$ERR" "the next pass reads the mail"

# 3. A whole download has a deadline: 2 s + 64 KiB at 16 KiB/s = 6 s.
D3="$TMP/three"
config "$D3" trickle 2s
t0=$(date +%s)
run env HOME="$D3" XDG_STATE_HOME="$D3/state" \
    OFII_WATCH_NOW=2024-03-21T10:00 "$BIN" -c "$D3/config" poll
t1=$(date +%s)
has "the download took more than 6 s" "$ERR" \
    "a download slower than 16 KiB/s overall is cut at its deadline"
[ $((t1 - t0)) -le 10 ] && ok "the pass ended in $((t1 - t0)) s" ||
    fail "the pass took $((t1 - t0)) s"
has '"failures"' "$(cat "$D3/state/ofii-watch/state.json")" \
    "and counted towards giving the mail up"
# 4. A slow reader (3 s per run): fed too, and stopped at once.
READER=$(dirname "$BIN")/ofii-watch-reader
case $READER in /*) ;; *) READER=$(pwd)/$READER ;; esac
printf '#!/bin/sh\necho "slow reader: start" >>"%s"\nsleep 3\nexec "%s" "$@"\n' \
    "$FK/fake.log" "$READER" >"$TMP/slow-reader"
chmod +x "$TMP/slow-reader"
D4="$TMP/four"
config "$D4" normal 60s
export OFII_WATCH_READER="$TMP/slow-reader"
start_run "$D4"
# The start's check, the headers, the mail: stop in the third.
wait_log "slow reader: start" 3 30
sleep 1.5
t0=$(date +%s%N)
kill -TERM "$RUN_PID"
wait "$RUN_PID"
rc=$?
t1=$(date +%s%N)
RUN_PID=
unset OFII_WATCH_READER
ms=$(((t1 - t0) / 1000000))
[ "$rc" = 0 ] && ok "stopped while reading: exit 0" ||
    fail "stopped while reading: exit $rc"
if [ "$ms" -le 1500 ]; then ok "SIGTERM honoured while reading in $ms ms"
else fail "SIGTERM honoured while reading only after $ms ms"; fi
/usr/bin/python3 - "$LOG" <<'EOP' >"$TMP/check.out" 2>&1
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1])]
wd = [m["t"] for m in msgs if "WATCHDOG=1" in m["msg"].split("\n")]
gaps = [round(b - a, 2) for a, b in zip(wd, wd[1:])]
# The reads last over 7 s (3 s, 3 s, then SIGTERM 1.5 s into the third):
# pings must span several seconds of it with no gap over 1.5 s.  How many
# pings that makes depends on the machine's load, so the span is checked, not a count.
span = wd[-1] - wd[0] if wd else 0
print(("ok   " if len(wd) >= 3 and span >= 3.0 and max(gaps) <= 1.5
       else "FAIL ") +
      f"pings all along three slow reads ({len(wd)} over {span:.1f} s, "
      f"longest gap {max(gaps) if gaps else '-'} s)")
EOP
cat "$TMP/check.out"
grep -q '^FAIL' "$TMP/check.out" && FAILS=$((FAILS + 1))
hasnt "slow@ofii.fr" "$(cat "$D4/state/ofii-watch/state.json")" \
    "the mail whose read was stopped is not marked processed"
finish
