# The poll (daemon/poll.c) against a real Dovecot with TLS (its own CA):
# convocation in Junk, phishing in INBOX, the mailbox untouched, a second
# poll that costs nothing, mail arriving between polls, a UIDVALIDITY
# change, the daemon riding out a Dovecot restart, and the refusals (wrong
# password, wrong certificate, a server without STARTTLS).
. tests/integration/lib.sh

D="$TMP/dovecot"
P="$TMP/plain"
stop_servers() {
	[ -n "${RUN_PID:-}" ] && kill -KILL "$RUN_PID" 2>/dev/null
	tests/servers/dovecot.sh stop "$D" 2>/dev/null
	tests/servers/dovecot.sh stop "$P" 2>/dev/null
	rm -rf "$TMP"
}
trap stop_servers EXIT
tests/servers/dovecot.sh start "$D" || { fail "dovecot did not start"; finish; }
M="$D/mail/test/Maildir"
seed() { /usr/bin/python3 tests/servers/seed_maildir.py "$@" >/dev/null; }
seed --date 2022-03-02 "$M" --generate 300
seed --date 2022-03-05 "$M" tests/fixtures/mail/formats/37_other_doctolib_gp_appointment.eml \
    tests/fixtures/mail/formats/36_other_ofii_newsletter_dates_addresses.eml \
    tests/fixtures/mail/formats/28_metz_lookalike_0fii_fr.eml \
    tests/fixtures/poll/ofii_pdf_unreadable.eml
seed --folder Junk --date 2022-03-10 "$M" \
    tests/fixtures/mail/formats/01_lyon_pdf_only_xray_villeurbanne.eml
# Older than validated_on: never read on the first scan.
seed --date 2022-01-10 "$M" tests/fixtures/mail/formats/02_marseille_text_8bit_lf_1er_avril.eml

CAL="$TMP/cal"
CONF="$TMP/config"
write_config() {	# write_config URL [extra lines...]
	url=$1; shift
	{
		printf '[account]\nurl = %s\nuser = test\n' "$url"
		printf 'password_command = echo secret\nca_file = %s\n' "$D/ca.pem"
		printf 'poll_interval = 2s\ntimeout = 5s\n'
		for l in "$@"; do printf '%s\n' "$l"; done
		printf '[visa]\narrival = 2022-01-26\nvalidated_on = 2022-03-01\n'
		printf 'valid_until = 2023-01-25\n[calendar]\nvdir = %s\n' "$CAL"
		printf 'file = %s\n' "$TMP/ofii.ics"
	} >"$CONF"
}
IMAPS="imaps://127.0.0.1:$(cat "$D/imaps_port")"
IMAP="imap://127.0.0.1:$(cat "$D/imap_port")"
write_config "$IMAPS"
export OFII_WATCH_NOW=2022-03-12T10:00

# Maildir file names carry the flags (":2,S" = \Seen): the mailbox is
# untouched when the sorted list of (file, flags) is the same.
flags() { find "$M" -type f -path '*/cur/*' -printf '%f\n' | sort; }
flags >"$TMP/flags.before"

# --- first poll: convocation from Junk, phishing alert, nothing else
run "$BIN" -c "$CONF" poll
expect_rc 0 "first poll"
has "Looks like phishing" "$ERR" "lookalike sender raises a phishing alert"
has "0fii.fr" "$ERR" "the alert names the lookalike domain"
has "OFII convocation found: medical visit on 2022-03-08 at 09:30" "$ERR" \
    "convocation found in Junk"
has "gives no appointment ofii-watch can read (its PDF attachment could not be read)" \
    "$ERR" "an OFII mail whose PDF is damaged is not passed over in silence"
has "<3>" "$(printf '%s\n' "$ERR" | grep 'gives no appointment')" \
    "that alert is an error"
has "The mail INBOX/" "$(printf '%s\n' "$ERR" | grep 'gives no appointment')" \
    "and names the mail"
n=$(ls "$CAL"/ofii-medical-*.ics 2>/dev/null | wc -l)
[ "$n" = 1 ] && ok "one medical event in the vdir" || fail "$n medical events"
[ "$(ls "$CAL"/ofii-xray-booking-*.ics 2>/dev/null | wc -l)" = 1 ] \
    && ok "X-ray booking reminder written" || fail "no X-ray booking event"
has "DTSTART;TZID=Europe/Paris:20220308T093000" "$(cat "$CAL"/ofii-medical-*.ics)" \
    "event at 09:30 Paris time"
hasnt "Marseille" "$(cat "$CAL"/*.ics)" "mail older than validated_on not scanned"
flags >"$TMP/flags.after"
cmp -s "$TMP/flags.before" "$TMP/flags.after" && ok "mailbox flags untouched" \
    || fail "flags changed: $(diff "$TMP/flags.before" "$TMP/flags.after" | head -5)"

# --- second poll: nothing new, nothing written
ls -l --time-style=full-iso "$CAL" >"$TMP/cal.before"
run "$BIN" -c "$CONF" poll
expect_rc 0 "second poll"
has "2 folder(s) (2 unchanged), 0 mail(s) read" "$ERR" "second poll reads nothing"
hasnt "convocation found" "$ERR" "no repeated found alert"
ls -l --time-style=full-iso "$CAL" >"$TMP/cal.after"
cmp -s "$TMP/cal.before" "$TMP/cal.after" && ok "second poll rewrites no file" \
    || fail "calendar files changed"

# --- a convocation arriving between two polls (INBOX, new/ like an MDA)
seed --new --date 2022-03-12 "$M" tests/fixtures/mail/formats/11_grenoble_ddmmyy_qp_numbered_items.eml
run "$BIN" -c "$CONF" poll
expect_rc 0 "poll after new mail"
has "1 mail(s) read, 1 convocation(s)" "$ERR" "only the new mail is read"
[ "$(ls "$CAL"/ofii-medical-*.ics | wc -l)" = 2 ] && ok "second convocation in the vdir" \
    || fail "expected 2 medical events"

# --- UIDVALIDITY change: rescan, deduplicated by Message-ID
tests/servers/dovecot.sh stop "$D"
find "$M" -maxdepth 2 -name 'dovecot-uidlist' -delete
find "$M" -maxdepth 2 -name 'dovecot.index*' -delete
sed -i 's/^V[0-9]*/V1/' "$M/dovecot-uidlist" 2>/dev/null
tests/servers/dovecot.sh restart "$D" || fail "dovecot restart failed"
ls -l --time-style=full-iso "$CAL" >"$TMP/cal.before"
run "$BIN" -v -c "$CONF" poll
expect_rc 0 "poll after UIDVALIDITY change"
has "UIDVALIDITY changed" "$ERR" "UIDVALIDITY change noticed"
has "already processed" "$ERR" "known mails recognized by Message-ID"
ls -l --time-style=full-iso "$CAL" >"$TMP/cal.after"
cmp -s "$TMP/cal.before" "$TMP/cal.after" && ok "rescan writes no duplicate" \
    || fail "calendar changed after the rescan"

# --- the daemon rides out a Dovecot restart and catches up
"$BIN" -c "$CONF" run >"$TMP/run.out" 2>&1 &
RUN_PID=$!
sleep 3
tests/servers/dovecot.sh stop "$D"
sleep 5
seed --new --date 2022-03-12 "$M" tests/fixtures/mail/formats/12_dijon_14_heures_iso8859_15.eml
tests/servers/dovecot.sh restart "$D" || fail "dovecot restart failed"
for i in $(seq 60); do
	[ "$(ls "$CAL"/ofii-medical-*.ics | wc -l)" = 3 ] && break
	sleep 0.5
done
[ "$(ls "$CAL"/ofii-medical-*.ics | wc -l)" = 3 ] && ok "daemon caught up after the restart" \
    || fail "daemon did not catch up: $(tail -5 "$TMP/run.out")"
kill -0 "$RUN_PID" 2>/dev/null && ok "daemon still running" || fail "daemon exited"
[ "$(grep -c 'retrying with backoff' "$TMP/run.out")" = 1 ] \
    && ok "failure logged once per streak" || fail "failure lines: $(grep -c 'retrying' "$TMP/run.out")"
has "mailbox reachable again" "$(cat "$TMP/run.out")" "recovery logged"
kill -TERM "$RUN_PID"
wait "$RUN_PID"
rc=$?
RUN_PID=
[ "$rc" = 0 ] && ok "SIGTERM: clean exit 0" || fail "exit status $rc after SIGTERM"

# --- a configured folder that does not exist: warned, the others read
write_config "$IMAPS" "folders = INBOX, Archives/Nope, Junk"
rm -rf "$XDG_STATE_HOME"
run "$BIN" -c "$CONF" poll
expect_rc 0 "poll with a missing configured folder"
has "folder Archives/Nope:" "$ERR" "the missing folder is named"
has "the other folders are still watched" "$ERR" "and the others are read"
has "2 folder(s)" "$ERR" "INBOX and Junk examined"
# --- every configured folder fails: the pass failed, and `poll` says so
# in its exit status (cron, scripts)
write_config "$IMAPS" "folders = Archives/Nope, Old/Gone"
rm -rf "$XDG_STATE_HOME"
run "$BIN" -c "$CONF" poll
expect_rc 1 "poll when every folder fails"
has "every watched folder failed (the last, Old/Gone:" "$ERR" \
    "it says every folder failed, and the last one's reason"

# --- SIGTERM in the middle of a long first scan: it stops at the next
# message, saved, exit 0; the next pass finishes without duplicates.
rm -rf "$XDG_STATE_HOME" "$CAL" "$TMP/ofii.ics"
/usr/bin/python3 - "$TMP/many" tests/fixtures/mail/formats/01_lyon_pdf_only_xray_villeurbanne.eml <<'EOP'
import os, sys
os.makedirs(sys.argv[1], exist_ok=True)
raw = open(sys.argv[2], "rb").read()
for i in range(120):
    msg = raw.replace(b"Message-ID: <", b"Message-ID: <copy%03d." % i, 1)
    open(os.path.join(sys.argv[1], "%03d.eml" % i), "wb").write(msg)
EOP
seed --folder Junk --date 2022-03-11 "$M" "$TMP"/many/*.eml
write_config "$IMAPS"
"$BIN" -v -c "$CONF" run >"$TMP/term.out" 2>&1 &
RUN_PID=$!
for i in $(seq 100); do grep -q "already processed\|calendar: event" "$TMP/term.out" && break; sleep 0.1; done
t0=$(date +%s%N)
kill -TERM "$RUN_PID"
wait "$RUN_PID"
rc=$?
RUN_PID=
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$rc" = 0 ] && ok "SIGTERM during a scan: exit 0" || fail "exit $rc"
[ "$ms" -lt 3000 ] && ok "stopped within ${ms} ms, at the next message" || fail "took ${ms} ms to stop"
done1=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["message_ids"]))' \
    "$XDG_STATE_HOME/ofii-watch/state.json" 2>/dev/null || echo 0)
[ "$done1" -gt 0 ] && [ "$done1" -lt 124 ] && ok "part of the scan saved ($done1 mails)" \
    || fail "saved $done1 mails"
run "$BIN" -c "$CONF" poll
expect_rc 0 "the next pass finishes the scan"
[ "$(ls "$CAL"/ofii-medical-*.ics | wc -l)" = 3 ] && ok "no duplicate event from the copies" \
    || fail "$(ls "$CAL"/ofii-medical-*.ics | wc -l) medical events"

# --- refusals
write_config "$IMAPS"
sed -i 's/^password_command = .*/password_command = echo wrong-password/' "$CONF"
run "$BIN" -c "$CONF" poll
expect_rc 1 "wrong password"
has "login refused" "$ERR" "wrong password reported as a refused login"
hasnt "wrong-password" "$ERR" "password not in the error"

write_config "$IMAPS"
sed -i "s|^ca_file = .*|ca_file = $D/wrong-ca.pem|" "$CONF"
run "$BIN" -c "$CONF" poll
expect_rc 1 "wrong certificate authority"
has "certificate" "$ERR" "certificate problem named"

write_config "$IMAP"
run "$BIN" -c "$CONF" poll
expect_rc 0 "imap:// with STARTTLS"

tests/servers/dovecot.sh start "$P" --plain || fail "plain dovecot did not start"
write_config "imap://127.0.0.1:$(cat "$P/imap_port")"
run "$BIN" -c "$CONF" poll
expect_rc 1 "server without STARTTLS"
has "STARTTLS" "$ERR" "refusal names STARTTLS"
grep -q "Login: user=<test>" "$P/dovecot.log" && fail "logged in to a plain server" \
    || ok "never logged in without TLS"
write_config "imap://127.0.0.1:$(cat "$P/imap_port")" "insecure = yes"
run "$BIN" -c "$CONF" poll
expect_rc 0 "insecure = yes on loopback"
has "insecure" "$ERR" "insecure mode logged loudly"
finish
