# The calendar as people's clients see it: `parse --ics` against the golden
# calendars (fixed clock), every calendar read back by python-icalendar
# (/usr/bin/python3: Debian's module, not the python3 on PATH) at the exact
# UTC instant the parse --json contract implies, and by khal over a vdir,
# in the appointment's own zone, in Paris, in Cayenne, and on DST days.
# Golden calendars: tests/fixtures/ics/regen.sh regenerates them.
. tests/integration/lib.sh

PY=/usr/bin/python3
NOW=2021-01-04T10:00Z		# as in tests/fixtures/ics/regen.sh
ICS=tests/fixtures/ics

# --- golden calendars: same bytes, and a mail without event prints nothing
n=0
for eml in tests/fixtures/mail/formats/*.eml tests/fixtures/samples/*.eml; do
	name=$(basename "$eml" .eml)
	OFII_WATCH_NOW=$NOW "$BIN" -q parse --ics "$eml" >"$TMP/$name.ics" \
	    2>"$TMP/$name.err"
	rc=$?
	if [ -f "$ICS/$name.ics" ]; then
		n=$((n + 1))
		if [ "$rc" = 0 ] && cmp -s "$ICS/$name.ics" "$TMP/$name.ics"; then
			ok "golden $name.ics"
		else
			fail "golden $name.ics differs (rc $rc)"
			diff "$ICS/$name.ics" "$TMP/$name.ics" | head -10 | sed 's/^/    | /'
		fi
	elif [ -s "$TMP/$name.ics" ]; then
		fail "$name: events printed, but no golden calendar"
	fi
done
[ "$n" -ge 30 ] && ok "$n golden calendars compared" || fail "only $n golden calendars"

run "$BIN" parse --ics tests/fixtures/mail/formats/26_clermont_lookalike_mon_ofii_fr.eml
expect_rc 0 "parse --ics on a lookalike sender"
[ -z "$OUT" ] && ok "lookalike sender: no event printed" || fail "lookalike printed events"
has "the sender is not trusted (rendezvous@mon-ofii.fr): no calendar event" "$ERR" \
    "lookalike sender: said why"

# --- python-icalendar: instants, structure, no injected property
cat >"$TMP/check.py" <<'EOPY'
import json, re, sys, datetime
import pytz
from icalendar import Calendar

def utc_of(wall, tzid):
    tz = pytz.timezone(tzid)
    dt = datetime.datetime.strptime(wall, "%Y-%m-%dT%H:%M")
    return tz.normalize(tz.localize(dt, is_dst=None)).astimezone(pytz.utc)

bad = 0
for ics, expected in zip(sys.argv[1::2], sys.argv[2::2]):
    cal = Calendar.from_ical(open(ics, "rb").read())
    exp = json.load(open(expected))
    events = [c for c in cal.walk("VEVENT")]
    want = [a for a in exp["appointments"]]
    appts = [e for e in events if str(e["UID"]).split("-")[1] in ("medical", "cir", "xray")
             and not str(e["UID"]).startswith("ofii-xray-booking-")]
    problems = []
    if str(cal.get("METHOD")) != "PUBLISH":
        problems.append("METHOD")
    if len(appts) != len(want):
        problems.append("%d appointment events for %d appointments" % (len(appts), len(want)))
    for e, a in zip(sorted(appts, key=lambda e: e.decoded("DTSTART")), want):
        got = e.decoded("DTSTART").astimezone(pytz.utc)
        if got != utc_of(a["start"], a["tzid"]):
            problems.append("%s: DTSTART %s, expected %s" % (e["UID"], got, utc_of(a["start"], a["tzid"])))
        if e["DTSTART"].params.get("TZID") != a["tzid"]:
            problems.append("%s: TZID %s" % (e["UID"], e["DTSTART"].params.get("TZID")))
        end = e.decoded("DTEND").astimezone(pytz.utc)
        want_end = utc_of(a["end"], a["tzid"]) if a["end"] else got + datetime.timedelta(hours=2)
        if end != want_end:
            problems.append("%s: DTEND %s, expected %s" % (e["UID"], end, want_end))
        if a["place"] and str(e["LOCATION"]) != a["place"]:
            problems.append("%s: LOCATION %r" % (e["UID"], str(e["LOCATION"])))
        cancelled = exp["kind"] == "cancellation"
        alarms = [c for c in e.walk("VALARM")]
        if (len(alarms) != 0) if cancelled else (sorted(str(x["TRIGGER"].to_ical(), "ascii") for x in alarms) != ["-P1D", "-PT2H"]):
            problems.append("%s: alarms %d" % (e["UID"], len(alarms)))
        if str(e.get("STATUS")) != ("CANCELLED" if cancelled else "CONFIRMED"):
            problems.append("%s: STATUS %s" % (e["UID"], e.get("STATUS")))
        if "What to bring" not in str(e["DESCRIPTION"]):
            problems.append("%s: no checklist" % e["UID"])
    for e in events:
        uid = str(e["UID"])
        if not re.fullmatch(r"ofii-[a-z-]+-[0-9a-f]{16}", uid):
            problems.append("UID %r" % uid)
        if "ATTENDEE" in e or "ORGANIZER" in e:
            problems.append("%s: injected property" % uid)
        if e.get("SEQUENCE") != 0 or "DTSTAMP" not in e:
            problems.append("%s: SEQUENCE/DTSTAMP" % uid)
        if uid.startswith("ofii-xray-booking-"):
            start = e.decoded("DTSTART")
            if (start.hour, start.minute) != (9, 0) or start.weekday() > 4:
                problems.append("%s: nudge at %s" % (uid, start))
    tzids = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
    if len(tzids) != len(set(tzids)) or any("/" not in t or t.startswith("/") for t in tzids):
        problems.append("VTIMEZONE %s" % tzids)
    print("%s %s: %d events%s" % ("ok  " if not problems else "FAIL", ics.split("/")[-1],
          len(events), "" if not problems else ": " + "; ".join(problems)))
    bad += bool(problems)
sys.exit(1 if bad else 0)
EOPY
args=""
for ics in "$TMP"/[0-4]*.ics; do
	name=$(basename "$ics" .ics)
	[ -f "tests/fixtures/mail/formats/$name.json" ] || continue
	[ -s "$ics" ] || continue
	args="$args $ics tests/fixtures/mail/formats/$name.json"
done
if $PY "$TMP/check.py" $args >"$TMP/py.out" 2>&1; then
	ok "python-icalendar reads every golden calendar at the expected instants ($(grep -c '^ok' "$TMP/py.out") files)"
else
	fail "python-icalendar disagrees"; grep -v '^ok' "$TMP/py.out" | sed 's/^/    | /' | head -20
fi

# --- the injection fixture: one event per appointment, no extra property
inj=$TMP/42_hostile_injection_subject_place_ctrl.ics
has "BEGIN:VEVENT" "$(cat "$inj")" "injection fixture makes events"
[ "$(grep -c '^BEGIN:VEVENT' "$inj")" = 2 ] && ok "injection: exactly 2 events (visit + nudge)" \
    || fail "injection: $(grep -c '^BEGIN:VEVENT' "$inj") events"
if grep -qE '^(ATTENDEE|ORGANIZER|ATTACH|URL)[;:]' "$inj"; then fail "injection: extra property"
else ok "injection: no extra property line"; fi

# --- khal: every sample and golden calendar, in the appointment's zone
khalconf() {	# khalconf NAME VDIR ZONE
	cat >"$TMP/$1.conf" <<EOK
[calendars]
[[ofii]]
path = $2
type = calendar
[locale]
local_timezone = $3
default_timezone = $3
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[default]
default_calendar = ofii
[sqlite]
path = $TMP/$1.db
EOK
}
cat >"$TMP/split.py" <<'EOPY'
# One calendar per VEVENT (with its VTIMEZONEs) into a vdir, as the vdir sink does.
import os, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
os.makedirs(sys.argv[2], exist_ok=True)
for ev in cal.walk("VEVENT"):
    out = Calendar()
    for k in ("PRODID", "VERSION"):
        out.add(k, cal[k])
    for z in cal.walk("VTIMEZONE"):
        out.add_component(z)
    out.add_component(ev)
    open(os.path.join(sys.argv[2], str(ev["UID"]) + ".ics"), "wb").write(out.to_ical())
EOPY
kn=0
for ics in "$TMP"/*.ics; do
	name=$(basename "$ics" .ics)
	[ -s "$ics" ] || continue
	eml=tests/fixtures/mail/formats/$name.eml
	[ -f "$eml" ] || eml=tests/fixtures/samples/$name.eml
	"$BIN" -q parse --json "$eml" >"$TMP/$name.json" 2>/dev/null
	$PY "$TMP/split.py" "$ics" "$TMP/vdir-$name" || { fail "$name: cannot split"; continue; }
	# expected: "YYYY-MM-DD HH:MM" of each appointment, in its zone
	$PY -c 'import json,sys
o = json.loads(open(sys.argv[1]).readline())
for a in o["appointments"]:
    print(a["tzid"], a["start"].replace("T", " "))' "$TMP/$name.json" >"$TMP/$name.want"
	while read -r zone start; do
		khalconf "k-$name" "$TMP/vdir-$name" "$zone"
		day=${start% *}
		got=$(khal -c "$TMP/k-$name.conf" list --format '{start-long}|{title}|{status}' \
		    "$day" 1d 2>"$TMP/khal.err" | grep -v '^[A-Z][a-z]*day, ')
		case "$got" in
		*"$start|"*) kn=$((kn + 1)) ;;
		*) fail "khal $name: no event at $start $zone"; printf '%s\n' "$got" "$(cat "$TMP/khal.err")" | sed 's/^/    | /' | head -8 ;;
		esac
		if grep -qi "skipping\|error" "$TMP/khal.err"; then fail "khal $name: $(head -1 "$TMP/khal.err")"; fi
	done <"$TMP/$name.want"
done
[ "$kn" -ge 35 ] && ok "khal shows all $kn appointments at their local time" || fail "khal: only $kn appointments checked"

# --- khal over a vdir written by the vdir sink: Paris, Cayenne, Réunion, DST
VD=$TMP/sinkvdir
OFII_TEST_VDIR=$VD build/asan/tests/test_sinks >"$TMP/sinks.out" 2>&1 \
    || { fail "test_sinks could not write the vdir"; sed 's/^/    | /' "$TMP/sinks.out" | tail -5; }
[ "$(stat -c %a "$VD")" = 700 ] && ok "vdir is 0700" || fail "vdir mode $(stat -c %a "$VD")"
[ -z "$(find "$VD" -type f ! -perm 0600)" ] && ok "vdir files are 0600" || fail "vdir file modes"
khalconf paris "$VD" Europe/Paris
run khal -c "$TMP/paris.conf" list --format '{start-long} -> {end-long} | {title} | {status}' 2022-03-01 300d
expect_rc 0 "khal list (Europe/Paris)"
has "2022-03-08 06:30 -> 2022-03-08 08:30 | Visite médicale OFII / OFII medical visit — Reunion Person | CONFIRMED" "$OUT" "khal Paris: Réunion 09:30 is 06:30"
has "2022-03-08 09:30 -> 2022-03-08 11:30 | Visite médicale OFII / OFII medical visit — Lyon Person | CONFIRMED" "$OUT" "khal Paris: Lyon 09:30"
has "2022-03-08 13:30 -> 2022-03-08 15:30 | Visite médicale OFII / OFII medical visit — Cayenne Person | CONFIRMED" "$OUT" "khal Paris: Cayenne 09:30 is 13:30"
has "2022-03-27 03:30 -> 2022-03-27 05:30 | Visite médicale OFII / OFII medical visit — Gap Person" "$OUT" "khal: 02:30 in the spring gap is 03:30 CEST (RFC 5545)"
has "2022-10-30 02:30 -> 2022-10-30 03:30 | Visite médicale OFII / OFII medical visit — Overlap Person" "$OUT" "khal: overlap 02:30 shown, ends 03:30 CET"
hasnt "arning" "$ERR" "khal: no warning"
khalconf cayenne "$VD" America/Cayenne
run khal -c "$TMP/cayenne.conf" list --format '{start-long} -> {end-long} | {title}' 2022-03-08 1d
has "2022-03-08 05:30 -> 2022-03-08 07:30 | Visite médicale OFII / OFII medical visit — Lyon Person" "$OUT" "khal Cayenne: Lyon 09:30 is 05:30"
has "2022-03-08 09:30 -> 2022-03-08 11:30 | Visite médicale OFII / OFII medical visit — Cayenne Person" "$OUT" "khal Cayenne: Cayenne 09:30"
# the overlap event's instant, as python-icalendar reads it: first 02:30 = 00:30Z
got=$($PY -c 'import sys,glob,pytz
from icalendar import Calendar
for f in glob.glob(sys.argv[1] + "/*.ics"):
    for e in Calendar.from_ical(open(f,"rb").read()).walk("VEVENT"):
        if "Overlap" in str(e["SUMMARY"]) or "Gap" in str(e["SUMMARY"]):
            print(str(e["SUMMARY"]).split()[-2], e.decoded("DTSTART").astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%MZ"))' "$VD" | sort)
has "Gap 2022-03-27T01:30Z" "$got" "python: DST gap 02:30 -> 01:30Z"
has "Overlap 2022-10-30T00:30Z" "$got" "python: DST overlap 02:30 -> first occurrence 00:30Z"

finish
