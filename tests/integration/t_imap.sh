# The IMAP client against real servers: a Dovecot with TLS (its own CA),
# a Dovecot without TLS (must be refused), and the scripted fakeimap for
# faults Dovecot does not produce.  The checks themselves are the live
# tests of build/asan/tests/test_imap_session (cmocka); this script
# starts the servers, hands their directories over in the environment,
# and stops them by PID whatever happens.
#
# OFII_TEST_IMAP_BIG=N also seeds N messages for user "big" and prints the
# idle-poll cost (e.g. N=100000: about 10 s more).
. tests/integration/lib.sh

T=build/asan/tests/test_imap_session
if [ ! -x "$T" ]; then
	fail "$T is not built (make $T)"
	finish
fi
if ! command -v dovecot >/dev/null; then
	fail "dovecot is not installed (apt-get install dovecot-imapd)"
	finish
fi

DV="$TMP/dovecot" DVP="$TMP/dovecot-plain" FK="$TMP/fake"
mkdir -p "$FK"
stop_servers() {
	tests/servers/dovecot.sh stop "$DV" 2>/dev/null
	tests/servers/dovecot.sh stop "$DVP" 2>/dev/null
	if [ -s "$FK/fake.pid" ]; then
		kill "$(cat "$FK/fake.pid")" 2>/dev/null
		rm -f "$FK/fake.pid"
	fi
	rm -rf "$TMP"
}
trap stop_servers EXIT
trap 'exit 1' INT TERM

if tests/servers/dovecot.sh start "$DV" && tests/servers/dovecot.sh start "$DVP" --plain
then ok "Dovecot (TLS) on $(cat "$DV/imaps_port"), plain on $(cat "$DVP/imap_port")"
else fail "Dovecot did not start"; finish; fi

/usr/bin/python3 tests/servers/fakeimap.py "$FK" \
    --mail tests/fixtures/mail/formats/05_strasbourg_text_plus_pdf_date_heure.eml \
    >"$FK/fake.log" 2>&1 &
for i in $(seq 1 50); do [ -s "$FK/fake_port" ] && break; sleep 0.1; done
if [ -s "$FK/fake_port" ]; then ok "fakeimap on $(cat "$FK/fake_port")"
else fail "fakeimap did not start"; cat "$FK/fake.log"; finish; fi

if [ -n "${OFII_TEST_IMAP_BIG:-}" ]; then
	t0=$(date +%s.%N)
	/usr/bin/python3 tests/servers/seed_maildir.py "$DV/mail/big/Maildir" \
	    --generate "$OFII_TEST_IMAP_BIG" --date 2024-01-01 >/dev/null
	echo "     seeded $OFII_TEST_IMAP_BIG messages in" \
	    "$(echo "$(date +%s.%N) - $t0" | bc) s"
	export OFII_TEST_IMAP_BIG
fi

OFII_TEST_IMAP_DIR="$DV" OFII_TEST_IMAP_PLAIN_DIR="$DVP" \
    OFII_TEST_FAKE_DIR="$FK" tests/run-unit.sh "$T" >"$TMP/unit.out" 2>&1
RC=$?
sed 's/^/    | /' "$TMP/unit.out"
# Every live test must have run (servers are up): none skipped, except
# the big-mailbox measure when it was not asked for.
if [ "$RC" = 0 ] && ! grep '^\[  SKIPPED \] test_' "$TMP/unit.out" |
    grep -v -q 'test_live_idle_big'; then
	ok "test_imap_session: live tests against Dovecot and fakeimap"
else
	fail "test_imap_session"
fi
# A message whose download always fails (libcurl takes a body line for
# the end of the reply) must not hide the folder's later mail forever:
# retried in the next passes, then given up with an alert naming it.
FC="$TMP/fake-daemon"
mkdir -p "$FC"
cat >"$FC/config" <<EOF
[account]
url = imap://127.0.0.1:$(cat "$FK/fake_port")
user = tagline
password = secret
insecure = yes
folders = INBOX
timeout = 5s
[visa]
validated_on = 2024-03-01
[calendar]
vdir = $FC/cal
EOF
chmod 600 "$FC/config"
fake_poll() {
	run env HOME="$FC" XDG_STATE_HOME="$FC/state" \
	    OFII_WATCH_NOW=2024-03-21T10:00 "$BIN" -c "$FC/config" poll
}
fake_poll
has "cut short" "$ERR" "pass 1: the broken download is reported"
hasnt "passed over" "$ERR" "pass 1: and retried, not given up"
has '"failures"' "$(cat "$FC/state/ofii-watch/state.json")" \
    "the failure is remembered in the state (poll runs are separate processes)"
fake_poll
hasnt "passed over" "$ERR" "pass 2: still retried"
fake_poll
has "could not be downloaded in 3 passes in a row" "$ERR" \
    "pass 3: given up, with an alert"
has "The mail INBOX/1" "$ERR" "the alert names the mail"
hasnt '"failures"' "$(cat "$FC/state/ofii-watch/state.json")" \
    "the failure record is gone"
fake_poll
has "(1 unchanged), 0 mail(s) read" "$ERR" "pass 4: the folder moves on"

# A candidate whose body comes back larger than asked for (a literal of
# 2 GiB announced; a server that ignores <offset.length> and sends 8 MiB
# for a mail it announced at 100 bytes) goes the same way: never marked
# done in silence, retried, then given up with an alert naming it.
for sc in huge_literal liar; do
	rm -rf "$FC/state"
	sed -i "s/^user = .*/user = $sc/" "$FC/config"
	fake_poll
	hasnt "passed over" "$ERR" "$sc: pass 1: not given up"
	has '"failures"' "$(cat "$FC/state/ofii-watch/state.json")" \
	    "$sc: pass 1: the failure is remembered"
	[ "$RC" = 1 ] && ok "$sc: pass 1 fails, its only folder failed" ||
	    fail "$sc: pass 1: exit $RC"
	fake_poll
	fake_poll
	has "could not be downloaded in 3 passes in a row" "$ERR" \
	    "$sc: pass 3: given up, with an alert"
	has "The mail INBOX/1" "$ERR" "$sc: the alert names the mail"
	has "passed over" "$ERR" "$sc: and it is passed over"
done

# A candidate the reader cannot read at all (it crashes, twice) raises
# the "unreadable" alert naming it, not only a warning.
READER=$(dirname "$BIN")/ofii-watch-reader
case $READER in /*) ;; *) READER=$(pwd)/$READER ;; esac
printf '#!/bin/sh\ncase "$*" in *--label=INBOX/*) kill -SEGV $$ ;; esac\nexec "%s" "$@"\n' \
    "$READER" >"$FC/crashing-reader"
chmod +x "$FC/crashing-reader"
rm -rf "$FC/state"
sed -i "s/^user = .*/user = normal/" "$FC/config"
printf '[alerts]\nalert_command = echo "alert kind=$OFII_ALERT_KIND"\n' \
    >>"$FC/config"
export OFII_WATCH_READER="$FC/crashing-reader"
fake_poll
unset OFII_WATCH_READER
expect_rc 0 "a mail the reader cannot read: the pass goes on"
has "A mail that may be from OFII could not be read" "$ERR" \
    "an unreadable candidate raises an alert"
has "The mail INBOX/1, \"" "$ERR" "the alert names the mail and its subject"
has "alert kind=unreadable" "$ERR" "as an 'unreadable' alert"

# The commands we run get nothing of ours: no IMAP socket, no libcurl
# socketpair, no state lock, no pipe.  Each lists its descriptors; the
# alert comes in the middle of the pass, the connection live.
rm -rf "$FC/state" "$FC/cal"
cat >"$FC/config" <<EOF
[account]
url = imap://127.0.0.1:$(cat "$FK/fake_port")
user = normal
password_command = ls -l /proc/self/fd >$FC/password-fds; echo secret
insecure = yes
folders = INBOX
[visa]
validated_on = 2024-03-01
[calendar]
vdir = $FC/cal
[alerts]
alert_command = ls -l /proc/self/fd >>$FC/alert-fds
EOF
chmod 600 "$FC/config"
fake_poll
expect_rc 0 "a pass with both commands"
for f in password alert; do
	fds=$(cat "$FC/$f-fds" 2>/dev/null)
	if [ -z "$fds" ]; then
		fail "${f}_command did not run"
		continue
	fi
	bad=$(printf '%s\n' "$fds" | grep -E 'socket:|pipe:|anon_inode|\.lock|state\.json')
	if [ -z "$bad" ]; then ok "${f}_command inherits no descriptor of ours"
	else fail "${f}_command inherits:"; printf '%s\n' "$bad" | sed 's/^/    | /'; fi
done

# Markup in the From display name ("OFII <b>Metz</b> <convocation@
# 0fii.fr>") must not hide the lookalike domain: the warning still says
# "phishing" and names it.
FP="$TMP/fake-phish"
mkdir -p "$FP"
sed 's|^From: .*|From: OFII <b>Metz</b> <convocation@0fii.fr>|' \
    tests/fixtures/mail/formats/05_strasbourg_text_plus_pdf_date_heure.eml \
    >"$FP/phish.eml"
/usr/bin/python3 tests/servers/fakeimap.py "$FP" --mail "$FP/phish.eml" \
    >"$FP/fake.log" 2>&1 &
for i in $(seq 1 50); do [ -s "$FP/fake_port" ] && break; sleep 0.1; done
rm -rf "$FC/state"
sed -i -e "s|^url = .*|url = imap://127.0.0.1:$(cat "$FP/fake_port")|" \
    -e '/^alert_command/d' "$FC/config"
fake_poll
kill "$(cat "$FP/fake.pid")" 2>/dev/null
expect_rc 0 "a lookalike sender with markup in its name"
has "Looks like phishing" "$ERR" "it is called phishing"
has "from 0fii.fr, which is not OFII" "$ERR" "and the lookalike domain is named"
hasnt "Unverified" "$ERR" "not an 'unverified' mail from nobody"

# Stopping leaves nothing running (the whole process group goes).
pg=$(cat "$DV/pid")
tests/servers/dovecot.sh stop "$DV"
if kill -0 -- "-$pg" 2>/dev/null; then fail "Dovecot still running"
else ok "Dovecot stopped, sessions included"; fi

finish
