# Crash safety, black box: `ofii-watch poll` killed with SIGKILL at chosen
# points and at random moments, against a real Dovecot (TLS, its own CA)
# and a real Radicale, with a vdir and a single .ics file as well; then one
# clean poll, and the crash-safety promises are checked: every expected
# event exactly once in the vdir, in the file and on the CalDAV server,
# with its final content; the state valid JSON with nothing pending; the
# mailbox untouched.  Then the state is truncated, filled with garbage and
# deleted: each time the next poll says so, sets it aside, rescans and
# writes no duplicate (same files, same bytes, same SEQUENCE).
#
# Kill points are deterministic where it matters: strace delivers SIGKILL
# on entry to the Nth rename / fsync / connect / sendto / recvfrom of the
# process (-e inject=...:signal=KILL:when=N), i.e. just before each atomic
# rename (state, vdir, file), just after each rename (the directory fsync),
# before each write of a temporary file is made durable, and around each
# IMAP and CalDAV request.  Random `timeout -s KILL` delays add the rest.
# No test hook in the program.
#
# CRASH_ROUNDS=N (default 36) limits the number of kill rounds.
. tests/integration/lib.sh

# The release build: the kills are about I/O order, not memory, and the
# ASan binary is 5x slower (the rest of the suite runs it).
# A copy: other builds may replace build/ofii-watch while this runs.
CRASH_BIN=${CRASH_BIN:-build/ofii-watch}
cp "$CRASH_BIN" "${CRASH_BIN%/*}/ofii-watch-reader" "$TMP/" || exit 1
CBIN=$TMP/ofii-watch
PY=/usr/bin/python3
D="$TMP/dovecot"
RD="$TMP/radicale"
mkdir -p "$RD"
stop_servers() {
	[ -n "${RUN_PID:-}" ] && kill -KILL "$RUN_PID" 2>/dev/null
	tests/servers/dovecot.sh stop "$D" 2>/dev/null
	tests/servers/radicale.sh stop "$RD" 2>/dev/null
	rm -rf "$TMP"
}
trap stop_servers EXIT
[ -n "${KEEP:-}" ] && trap "tests/servers/dovecot.sh stop $D; tests/servers/radicale.sh stop $RD" EXIT
command -v strace >/dev/null || { fail "strace is not installed"; finish; }
tests/servers/dovecot.sh start "$D" >/dev/null || { fail "dovecot did not start"; finish; }
PASS='crash-Pass-7'
PORT=$(tests/servers/radicale.sh start "$RD" ofii "$PASS") || { fail "radicale did not start"; finish; }
URL="http://127.0.0.1:$PORT/ofii/crash/"
printf '%s\n' "$PASS" >"$TMP/pw"
chmod 600 "$TMP/pw"
ok "dovecot and radicale started"

# --- the mailbox: five convocations (four people, four offices) and the
# reschedule of one, in INBOX and Junk, among noise and a phishing mail
M="$D/mail/test/Maildir"
G=tests/fixtures/mail/formats
seed() { $PY tests/servers/seed_maildir.py "$@" >/dev/null; }
# The Orléans convocation that 21 reschedules (same sender and headers).
$PY - "$G/21_orleans_reschedule_base64.eml" >"$TMP/orleans_first.eml" <<'EOPY'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.compat32)
body = ("Monsieur BOATENG Kofi,\n\nVous êtes convoqué à la visite médicale "
        "de l'OFII le jeudi 10 novembre 2022 à 9h00,\nà l'adresse : OFII - "
        "Direction territoriale d'Orléans, 11 rue de la Bretonnerie, 45000 "
        "Orléans.\n\nVous devrez apporter votre passeport, cette convocation "
        "et la\nradiographie pulmonaire, avec son compte rendu.\n\nLe "
        "secrétariat médical de l'OFII Orléans\n")
del m["Content-Transfer-Encoding"]
m.replace_header("Content-Type", "text/plain; charset=UTF-8")
m["Content-Transfer-Encoding"] = "8bit"
m.set_payload(body.encode())
m.replace_header("Message-ID", "<orig-7f1c2d@rdv.ofii.fr>")
m.replace_header("Date", "Thu, 20 Oct 2022 10:12:00 +0200")
m.replace_header("Subject", "Convocation visite medicale OFII")
sys.stdout.buffer.write(m.as_bytes())
EOPY
seed --date 2022-03-02 "$M" --generate 150
seed --date 2022-03-20 "$M" $G/02_marseille_text_8bit_lf_1er_avril.eml \
    $G/37_other_doctolib_gp_appointment.eml $G/28_metz_lookalike_0fii_fr.eml
seed --date 2022-06-01 "$M" $G/11_grenoble_ddmmyy_qp_numbered_items.eml \
    $G/36_other_ofii_newsletter_dates_addresses.eml
seed --date 2022-10-21 "$M" "$TMP/orleans_first.eml"
seed --date 2022-11-02 "$M" $G/21_orleans_reschedule_base64.eml
seed --folder Junk --date 2022-03-03 "$M" --generate 40
seed --folder Junk --date 2022-03-04 "$M" $G/01_lyon_pdf_only_xray_villeurbanne.eml
seed --folder Junk --date 2022-09-01 "$M" $G/12_dijon_14_heures_iso8859_15.eml
flags() { find "$M" -type f -path '*/cur/*' -printf '%f\n' | sort; }
flags >"$TMP/flags.before"

CAL="$TMP/cal"
ICSFILE="$TMP/ofii.ics"
CONF="$TMP/config"
cat >"$CONF" <<EOC
[account]
url = imaps://127.0.0.1:$(cat "$D/imaps_port")
user = test
password_command = echo secret
ca_file = $D/ca.pem
timeout = 10s
[visa]
arrival = 2022-01-26
validated_on = 2022-03-01
valid_until = 2023-01-25
[calendar]
vdir = $CAL
file = $ICSFILE
caldav_url = $URL
caldav_user = ofii
caldav_password_file = $TMP/pw
EOC
export OFII_WATCH_NOW=2022-11-05T10:00
STATE="$XDG_STATE_HOME/ofii-watch/state.json"

# --- helpers
reset_all() {	# a fresh start: no state, no calendar, an empty collection
	rm -rf "$XDG_STATE_HOME" "$CAL" "$ICSFILE"
	curl -s -o /dev/null -u "ofii:$PASS" -X DELETE "$URL"
	code=$(curl -s -o /dev/null -w '%{http_code}' -u "ofii:$PASS" -X MKCALENDAR "$URL")
	[ "$code" = 201 ] || fail "MKCALENDAR: $code"
}
# The collection's events, one "UID SEQUENCE sha256(VEVENT without
# DTSTAMP)" line per resource, sorted; the href must be <UID>.ics.
dav_events() {
	curl -s -u "ofii:$PASS" -X REPORT -H 'Depth: 1' \
	    -H 'Content-Type: application/xml' --data-binary \
	    '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>' \
	    "$URL" | $PY -c '
import sys, hashlib, re
import xml.etree.ElementTree as ET
ns = {"D": "DAV:", "C": "urn:ietf:params:xml:ns:caldav"}
out = []
for r in ET.parse(sys.stdin).getroot().findall("D:response", ns):
    href = r.find("D:href", ns).text
    data = r.find(".//C:calendar-data", ns).text.replace("\r\n", "\n")
    uids = re.findall(r"^UID:(.*)$", data, re.M)
    seq = re.findall(r"^SEQUENCE:(.*)$", data, re.M)
    ev = data[data.index("BEGIN:VEVENT"):data.index("END:VEVENT")]
    ev = re.sub(r"^DTSTAMP:.*\n", "", ev, flags=re.M)
    ok = len(uids) == 1 and href.endswith("/" + uids[0] + ".ics")
    out.append("%s %s %s%s" % (uids[0] if uids else "?", seq[0] if seq else "?",
               hashlib.sha256(ev.encode()).hexdigest()[:16], "" if ok else " BAD-HREF"))
print("\n".join(sorted(out)))'
}
# Same line format for a directory of .ics / one combined file.
ics_events() {
	$PY - "$@" <<'EOPY'
import sys, hashlib, re
out = []
for path in sys.argv[1:]:
    data = open(path, encoding="utf-8").read().replace("\r\n", "\n")
    for ev in re.findall(r"BEGIN:VEVENT\n.*?END:VEVENT", data, re.S):
        uid = re.search(r"^UID:(.*)$", ev, re.M).group(1)
        seq = re.search(r"^SEQUENCE:(.*)$", ev, re.M).group(1)
        body = re.sub(r"^DTSTAMP:.*\n", "", ev[:-len("END:VEVENT")], flags=re.M)
        out.append("%s %s %s" % (uid, seq, hashlib.sha256(body.encode()).hexdigest()[:16]))
print("\n".join(sorted(out)))
EOPY
}
# state_ok: valid JSON, nothing pending for any sink
state_check() {
	$PY - "$STATE" <<'EOPY'
import json, sys
st = json.load(open(sys.argv[1]))
bad = []
for uid, ev in st["events"].items():
    for s in ("vdir", "file", "caldav"):
        if ev["ics"] and ev["delivered"].get(s) != ev["hash"]:
            bad.append("%s pending for %s" % (uid, s))
    if ev["ics"] and not ev.get("etag"):
        bad.append("%s: no CalDAV ETag" % uid)
print("\n".join(bad) if bad else "clean")
EOPY
}
snapshot() {	# snapshot NAME: what every sink holds
	ics_events "$CAL"/*.ics >"$TMP/$1.vdir"
	ics_events "$ICSFILE" >"$TMP/$1.file"
	dav_events >"$TMP/$1.dav"
	ls "$CAL" | sort >"$TMP/$1.names"
	(cd "$CAL" && sha256sum *.ics) >"$TMP/$1.sums"
}

# An old convocation (before validated_on, so never read: the first scan
# looks back to validated_on only) delivered after the others, so that its
# UID is above theirs -- a mail moved into INBOX keeps its date.  A first
# scan cut short must not resume without that bound and read it.
reset_all
"$CBIN" -q -c "$CONF" poll >/dev/null 2>&1	# Dovecot numbers the others
seed --date 2022-01-10 "$M" $G/20_caen_fixed_xray_appointment_cedex.eml
flags >"$TMP/flags.before"

# --- reference: one uninterrupted poll (its duration bounds the delays)
reset_all
t0=$(date +%s.%N)
run "$CBIN" -c "$CONF" poll
T=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }')
echo "     one full poll takes ${T}s"
expect_rc 0 "reference poll"
has "6 convocation(s)" "$ERR" "six trusted convocations read (one a reschedule)"
has "Looks like phishing" "$ERR" "the lookalike sender raised an alert"
snapshot ref
cut -d' ' -f1 "$TMP/ref.vdir" >"$TMP/ref.uids"
nuid=$(wc -l <"$TMP/ref.uids")
[ "$(sort -u "$TMP/ref.uids" | wc -l)" = "$nuid" ] && ok "reference: $nuid events, each UID once" \
    || fail "reference has duplicate UIDs"
# Expected: Lyon, Marseille, Grenoble, Dijon, Orléans visits; X-ray nudges
# for Lyon and Grenoble (centre named), Marseille and Dijon (none named,
# not on site); renewal open and deadline.  Orléans: one event, moved.
[ "$(grep -c '^ofii-medical-' "$TMP/ref.uids")" = 5 ] && ok "five medical events" \
    || fail "medical events: $(grep -c '^ofii-medical-' "$TMP/ref.uids")"
orl=$(grep -l "Orléans" "$CAL"/ofii-medical-*.ics)
has "DTSTART;TZID=Europe/Paris:20221124T143000" "$(cat $orl)" "Orléans: the reschedule won (24 Nov, 14:30)"
has "SEQUENCE:1" "$(cat $orl)" "Orléans: SEQUENCE 1 after the reschedule"
hasnt "Caen" "$(cat "$CAL"/*.ics)" "the mail older than validated_on is not read"
cmp -s "$TMP/ref.vdir" "$TMP/ref.file" && ok "reference: the single file holds the same events" \
    || fail "reference: file differs from vdir"
# (Radicale rewrites the text: only UID and SEQUENCE compare with the vdir.)
if [ "$(cut -d' ' -f1,2 "$TMP/ref.dav")" = "$(cut -d' ' -f1,2 "$TMP/ref.vdir")" ] &&
    ! grep -q BAD-HREF "$TMP/ref.dav"; then
	ok "reference: CalDAV holds the same events"
else
	fail "reference: CalDAV differs"; diff "$TMP/ref.vdir" "$TMP/ref.dav" | head | sed 's/^/    | /'
fi
[ "$(state_check)" = clean ] && ok "reference: nothing pending" || fail "reference: $(state_check | head -3)"

# --- how many kill points: count the syscalls of one whole poll
reset_all
strace -qq -o "$TMP/strace.count" -c -e trace=rename,fsync,connect,sendto,recvfrom \
    "$CBIN" -q -c "$CONF" poll >/dev/null 2>&1
calls() { awk -v s="$1" '$NF == s { print $4 }' "$TMP/strace.count"; }
NREN=$(calls rename); NFSYNC=$(calls fsync); NCONN=$(calls connect)
NSEND=$(calls sendto); NRECV=$(calls recvfrom)
echo "     one poll: $NREN rename, $NFSYNC fsync, $NCONN connect, $NSEND sendto, $NRECV recvfrom"
[ "${NREN:-0}" -gt 5 ] && ok "counted the kill points" || fail "no rename seen by strace"

# A kill point: SYSCALL:N.  Every rename and every fsync; connects; sends
# and receives spread over the run (IMAP and CalDAV).
points=""
i=1; while [ "$i" -le "${NREN:-0}" ]; do points="$points rename:$i"; i=$((i + 1)); done
i=1; while [ "$i" -le "${NFSYNC:-0}" ]; do points="$points fsync:$i"; i=$((i + 1)); done
i=1; while [ "$i" -le "${NCONN:-0}" ]; do points="$points connect:$i"; i=$((i + 1)); done
for f in 1 2 3 5 8 13 21 34 55 89 144 233 377 610; do
	[ "$f" -le "${NSEND:-0}" ] && points="$points sendto:$f"
	[ "$f" -le "${NRECV:-0}" ] && points="$points recvfrom:$f"
done
npoints=$(echo $points | wc -w)
echo "     $npoints deterministic kill points"

# One round: a fresh start, a poll killed at POINT, a poll killed after a
# random delay, a poll killed at the same POINT again (its count now falls
# elsewhere), then a clean poll; compare with the reference.
killed=0 rounds=0 bad_rounds=0 seed=0
delay() {	# a reproducible pseudo-random delay in [0.02 s, a full poll]
	seed=$((seed + 1))
	awk -v s=$seed -v t="$T" 'BEGIN { srand(s); printf "%.3f", 0.02 + rand() * t }'
}
kill_at() {	# kill_at SYSCALL:N
	strace -qq -o /dev/null -e trace="${1%%:*}" \
	    -e inject="${1%%:*}":signal=KILL:when="${1#*:}" \
	    "$CBIN" -q -c "$CONF" poll >/dev/null 2>&1
	[ $? -ge 128 ] && killed=$((killed + 1))
}
kill_after() {	# kill_after SECONDS
	timeout -s KILL "$1" "$CBIN" -q -c "$CONF" poll >/dev/null 2>&1
	[ $? -ge 128 ] && killed=$((killed + 1))
}
check_round() {	# check_round LABEL
	snapshot round
	problems=""
	cmp -s "$TMP/ref.vdir" "$TMP/round.vdir" || problems="$problems vdir"
	cmp -s "$TMP/ref.file" "$TMP/round.file" || problems="$problems file"
	cmp -s "$TMP/ref.dav" "$TMP/round.dav" || problems="$problems caldav"
	cmp -s "$TMP/ref.names" "$TMP/round.names" || problems="$problems vdir-names"
	s=$(state_check 2>&1)
	[ "$s" = clean ] || problems="$problems state($s)"
	if [ -n "$problems" ]; then
		bad_rounds=$((bad_rounds + 1))
		fail "$1:$problems"
		for k in vdir file dav names; do
			diff "$TMP/ref.$k" "$TMP/round.$k" | head -6 | sed "s/^/    | $k /"
		done
	fi
}
max=${CRASH_ROUNDS:-36}
step=1
[ "$npoints" -gt "$max" ] && step=$(( (npoints + max - 1) / max ))
i=0
for p in $points; do
	i=$((i + 1))
	[ $(( (i - 1) % step )) = 0 ] || continue
	rounds=$((rounds + 1))
	reset_all
	kill_at "$p"
	kill_after "$(delay)"
	kill_at "$p"
	run "$CBIN" -c "$CONF" poll
	[ "$RC" = 0 ] || fail "round $p: clean poll exit $RC"
	check_round "round $p"
done
[ "$bad_rounds" = 0 ] && ok "$rounds rounds, $killed polls killed: every event once everywhere, final content, nothing pending" \
    || fail "$bad_rounds of $rounds rounds went wrong ($killed polls killed)"

# Many random kills in a row on one state, then a clean poll.
reset_all
for i in $(seq 1 12); do
	kill_after "$(delay)"
done
run "$CBIN" -c "$CONF" poll
expect_rc 0 "clean poll after 12 random kills in a row"
check_round "12 random kills in a row"
echo "     total polls killed: $killed"

flags >"$TMP/flags.after"
cmp -s "$TMP/flags.before" "$TMP/flags.after" && ok "mailbox flags untouched" \
    || fail "flags changed: $(diff "$TMP/flags.before" "$TMP/flags.after" | head -5)"

# --- a corrupt or lost state: a logged rebuild, no duplicate, no change
rebuild() {	# rebuild LABEL: the state was just damaged or removed
	snapshot before
	dav_puts=$(grep -c "PUT request" "$RD/radicale.log")
	run "$CBIN" -c "$CONF" poll
	expect_rc 0 "$1: poll"
	snapshot after
	for k in vdir file dav names sums; do
		cmp -s "$TMP/before.$k" "$TMP/after.$k" && ok "$1: $k unchanged" || {
			fail "$1: $k changed"
			diff "$TMP/before.$k" "$TMP/after.$k" | head -6 | sed 's/^/    | /'
		}
	done
	[ "$(state_check)" = clean ] && ok "$1: nothing pending" || fail "$1: $(state_check | head -3)"
	n=$(( $(grep -c "PUT request" "$RD/radicale.log") - dav_puts ))
	echo "     $1: $n CalDAV PUT(s) to adopt the server's copies"
}
cp "$STATE" "$TMP/state.good"
head -c 300 "$TMP/state.good" >"$STATE"
rebuild "truncated state"
has "not a valid state file" "$ERR" "truncated state: the rebuild is logged"
ls "$STATE".corrupt-* >/dev/null 2>&1 && ok "truncated state: moved aside" || fail "no state.json.corrupt-*"
rm -f "$STATE".corrupt-*

head -c 4096 /dev/urandom >"$STATE"
rebuild "garbage state"
has "not a valid state file" "$ERR" "garbage state: the rebuild is logged"
ls "$STATE".corrupt-* >/dev/null 2>&1 && ok "garbage state: moved aside" || fail "no state.json.corrupt-*"

rm -f "$STATE"
rebuild "deleted state"

# --- a state that cannot be written: the calendar still gets everything
# (INBOX and Junk), the failure is reported, and once the state can be
# written again nothing is duplicated.  (Root ignores modes: a directory
# where the temporary file goes makes the write fail.)
reset_all
mkdir -p "$STATE.new"
run "$CBIN" -c "$CONF" poll
expect_rc 1 "state not writable: poll fails"
has "saving the state" "$ERR" "state not writable: said so"
hasnt "mailbox:" "$ERR" "state not writable: not blamed on the mailbox"
snapshot ro
cmp -s "$TMP/ref.vdir" "$TMP/ro.vdir" && cmp -s "$TMP/ref.file" "$TMP/ro.file" &&
    cmp -s "$TMP/ref.dav" "$TMP/ro.dav" && ok "state not writable: every event delivered anyway" \
    || fail "state not writable: $(diff "$TMP/ref.vdir" "$TMP/ro.vdir" | head -4)"
rmdir "$STATE.new"
run "$CBIN" -c "$CONF" poll
expect_rc 0 "state writable again: poll"
check_round "state writable again"
[ "$bad_rounds" = 0 ] && ok "state writable again: no duplicate, nothing pending"

# --- one ofii-watch per state: a hand-run poll while the service runs
"$CBIN" -c "$CONF" run >"$TMP/run.out" 2>&1 &
RUN_PID=$!
for i in $(seq 50); do
	[ -e "$STATE.lock" ] && grep -q "poll:\|startup\|watching" "$TMP/run.out" && break
	sleep 0.1
done
run "$CBIN" -c "$CONF" poll
expect_rc 1 "poll while the daemon runs"
has "in use by another ofii-watch" "$ERR" "second instance refused, with the way out"
kill -TERM "$RUN_PID"
wait "$RUN_PID"
rc=$?
RUN_PID=
[ "$rc" = 0 ] && ok "daemon: SIGTERM, exit 0" || fail "daemon exit $rc"
run "$CBIN" -c "$CONF" poll
expect_rc 0 "poll once the daemon is gone"

# A state lost while a change was queued for CalDAV: still no duplicate.
cp "$STATE" "$TMP/state.good"
rm -f "$STATE"
tests/servers/radicale.sh stop "$RD"
run "$CBIN" -c "$CONF" poll
has "queued" "$ERR" "server down: the CalDAV change is queued"
tests/servers/radicale.sh restart "$RD" >/dev/null || fail "radicale did not restart"
run "$CBIN" -c "$CONF" poll
expect_rc 0 "server back: poll"
dav_events >"$TMP/last.dav"
cmp -s "$TMP/ref.dav" "$TMP/last.dav" && ok "server back: CalDAV holds each event once, final content" \
    || fail "CalDAV after queue: $(diff "$TMP/ref.dav" "$TMP/last.dav" | head -4)"
finish
