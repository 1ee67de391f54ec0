# Alerts reach a desktop: a real session bus (dbus-daemon) with a stand-in
# notification daemon, and the alert delivery code of test_alerts.
. tests/integration/lib.sh

eval "$(dbus-daemon --session --fork --print-address=1 --print-pid=2 \
    2>"$TMP/dbus.pid" | sed 's/^/DBUS_SESSION_BUS_ADDRESS=/')"
export DBUS_SESSION_BUS_ADDRESS
DBUS_PID=$(cat "$TMP/dbus.pid")
trap 'kill $NOTIFY_PID $DBUS_PID 2>/dev/null; rm -rf "$TMP"' EXIT
export OFII_TEST_NOTIFY_LOG="$TMP/notifications"
/usr/bin/python3 tests/servers/notifyd.py "$OFII_TEST_NOTIFY_LOG" >"$TMP/notifyd.out" 2>&1 &
NOTIFY_PID=$!
for i in $(seq 50); do grep -q ready "$TMP/notifyd.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$TMP/notifyd.out" && ok "session bus and notification daemon up" \
    || fail "notification daemon did not start: $(cat "$TMP/notifyd.out")"

run build/asan/tests/test_alerts
expect_rc 0 "alert delivery tests with a session bus"
has "[  PASSED  ] 10 test(s)" "$OUT$ERR" "desktop notification test ran (not skipped)"
printf "%s\n" "$OUT$ERR" | grep -E '^\[  (PASSED|FAILED|SKIPPED)' | sed 's/^/    /'
finish
