# The daemon speaks systemd's notification protocol: READY=1 once started,
# STATUS= after each poll, WATCHDOG=1 at half of WATCHDOG_USEC, RELOADING=1
# and READY=1 on SIGHUP (a broken new config keeps the old one), STOPPING=1
# on SIGTERM.  Checked against a notification socket this test owns.
. tests/integration/lib.sh

D="$TMP/dovecot"
cleanup() {
	[ -n "${RUN_PID:-}" ] && kill -KILL "$RUN_PID" 2>/dev/null
	[ -n "${LISTENER:-}" ] && kill "$LISTENER" 2>/dev/null
	tests/servers/dovecot.sh stop "$D" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
tests/servers/dovecot.sh start "$D" || { fail "dovecot did not start"; finish; }
CONF="$TMP/config"
cat >"$CONF" <<EOC
[account]
url = imaps://127.0.0.1:$(cat "$D/imaps_port")
user = test
password_command = echo secret
ca_file = $D/ca.pem
poll_interval = 1h
[visa]
arrival = 2022-01-26
validated_on = 2022-03-01
[calendar]
vdir = $TMP/cal
EOC
SOCK="$TMP/notify.sock"
LOG="$TMP/notify.log"
/usr/bin/python3 tests/servers/notify_listener.py "$SOCK" "$LOG" >"$TMP/listener.out" 2>&1 &
LISTENER=$!
for i in $(seq 50); do grep -q ready "$TMP/listener.out" 2>/dev/null && break; sleep 0.1; done

# WATCHDOG_PID must be the daemon's own pid: exec from a shell that knows it.
NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=2000000 OFII_WATCH_NOW=2022-04-20T10:00 \
    sh -c 'export WATCHDOG_PID=$$; exec "$0" -c "$1" run' "$BIN" "$CONF" \
    >"$TMP/run.out" 2>&1 &
RUN_PID=$!
sleep 4
# It holds the password: no core dump of it, ever.
if grep -q '^Max core file size *0 *0 ' "/proc/$RUN_PID/limits" 2>/dev/null
then ok "no core dump (RLIMIT_CORE 0)"
else fail "core dumps allowed: $(grep core "/proc/$RUN_PID/limits")"; fi
cp "$CONF" "$TMP/good.config"
echo "bogus line" >>"$CONF"
kill -HUP "$RUN_PID"
sleep 1
cp "$TMP/good.config" "$CONF"
kill -HUP "$RUN_PID"
sleep 1
kill -TERM "$RUN_PID"
wait "$RUN_PID"
rc=$?
RUN_PID=
[ "$rc" = 0 ] && ok "exit 0 after SIGTERM" || fail "exit $rc after SIGTERM"

/usr/bin/python3 - "$LOG" <<'EOP' >"$TMP/check.out" 2>&1
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1])]
def first(prefix, after=-1.0):
    for m in msgs:
        if m["t"] > after and any(x.startswith(prefix) for x in m["msg"].split("\n")):
            return m
    return None
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
ready = first("READY=1")
check(ready is not None and msgs.index(ready) == 0, "READY=1 is the first message")
st = first("STATUS=Waiting for OFII, day 50 since validation; last poll")
check(st is not None, "STATUS= after the first poll says where the person stands")
wd = [m["t"] for m in msgs if "WATCHDOG=1" in m["msg"].split("\n")]
gaps = [b - a for a, b in zip(wd, wd[1:])]
check(len(wd) >= 3, f"WATCHDOG=1 sent repeatedly ({len(wd)} times)")
check(gaps and all(0.7 <= g <= 1.4 for g in gaps), f"WATCHDOG=1 every ~1 s (half of 2 s): {gaps}")
rel = [m for m in msgs if "RELOADING=1" in m["msg"]]
check(len(rel) == 2, f"RELOADING=1 on each SIGHUP ({len(rel)})")
check(all(first("READY=1", r["t"] - 0.0001) is not None for r in rel), "READY=1 after each reload")
stop = msgs[-1]
check("STOPPING=1" in stop["msg"], "STOPPING=1 is the last message")
EOP
cat "$TMP/check.out"
grep -q '^FAIL' "$TMP/check.out" && FAILS=$((FAILS + 1))
has "has errors; keeping the running configuration" "$(cat "$TMP/run.out")" \
    "a broken config on SIGHUP keeps the old one"
has "configuration reloaded" "$(cat "$TMP/run.out")" "a good config on SIGHUP is loaded"
finish
