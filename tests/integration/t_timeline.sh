# The alert schedule through the real binary, moving the clock with
# OFII_WATCH_NOW across a whole visa timeline: nothing before the threshold,
# one alert after it, no repeat on the next polls (each `poll` is a new
# process: a restart), one more a week later, the renewal escalation, and
# silence once the convocation has been found; `status` tells the same.
. tests/integration/lib.sh

D="$TMP/dovecot"
trap 'tests/servers/dovecot.sh stop "$D" 2>/dev/null; rm -rf "$TMP"' EXIT
tests/servers/dovecot.sh start "$D" || { fail "dovecot did not start"; finish; }
M="$D/mail/test/Maildir"
/usr/bin/python3 tests/servers/seed_maildir.py --date 2022-03-02 "$M" --generate 20 >/dev/null
CONF="$TMP/config"
dovecot_account "$D" >"$CONF"
cat >>"$CONF" <<EOF
[visa]
arrival = 2022-01-26
validated_on = 2022-03-01
valid_until = 2023-01-25
[calendar]
vdir = $TMP/cal
[alerts]
alert_command = printf '%s|%s\n' "\$OFII_ALERT_KIND" "\$OFII_ALERT_SUMMARY" >> $TMP/alerts.log
EOF
export TZ=Europe/Paris
at() {	# at YYYY-MM-DDTHH:MM: one poll at that time; its alert lines in $NEW
	: >"$TMP/alerts.log"
	run env OFII_WATCH_NOW="$1" "$BIN" -c "$CONF" poll
	[ "$RC" = 0 ] || fail "poll at $1: exit $RC: $ERR"
	NEW=$(cat "$TMP/alerts.log")
}

at 2022-03-20T10:00
[ -z "$NEW" ] && ok "day 19: no alert" || fail "day 19: $NEW"
at 2022-04-15T08:59
[ -z "$NEW" ] && ok "day 45 before 09:00: no alert" || fail "early: $NEW"
at 2022-04-15T09:00
[ "$NEW" = "late|No OFII convocation yet, 45 days after you validated your visa" ] \
    && ok "day 45 at 09:00: one 'late' alert" || fail "day 45: '$NEW'"
has "\"Nous contacter\"" "$ERR" "the alert says how to write to OFII"
at 2022-04-15T09:10
[ -z "$NEW" ] && ok "ten minutes later (a new process): no repeat" || fail "repeat: $NEW"
at 2022-04-21T18:00
[ -z "$NEW" ] && ok "six days later: no repeat" || fail "repeat: $NEW"
run env OFII_WATCH_NOW=2022-04-21T18:00 "$BIN" -c "$CONF" status
has "next alert: 2022-04-22 09:00" "$OUT" "status knows when the next alert comes"
at 2022-04-22T09:00
[ "$NEW" = "late|No OFII convocation yet, 52 days after you validated your visa" ] \
    && ok "a week later: one more" || fail "week later: '$NEW'"
at 2022-09-25T09:30
has "renewal-open|Renewal window open (visa valid until 2023-01-25)" "$NEW" \
    "renewal window opens: escalation"
at 2022-09-25T10:30
[ -z "$NEW" ] && ok "escalation not repeated" || fail "repeat: $NEW"

# The convocation arrives: found once, then silence.
/usr/bin/python3 tests/servers/seed_maildir.py --folder Junk --date 2022-09-26 "$M" \
    tests/fixtures/mail/formats/01_lyon_pdf_only_xray_villeurbanne.eml >/dev/null
at 2022-09-26T10:00
has "found|OFII convocation found: medical visit on 2022-03-08 at 09:30" "$NEW" \
    "convocation found: one info alert with date"
hasnt "late|" "$NEW" "no 'late' alert once found"
at 2022-10-10T10:00
[ -z "$NEW" ] && ok "two weeks later: silence" || fail "after found: $NEW"
run env OFII_WATCH_NOW=2022-10-10T10:00 "$BIN" -c "$CONF" status --json
has '"convocation_found":true' "$(printf '%s' "$OUT" | tr -d ' \n')" "status --json: found"
has '"next_alert":null' "$(printf '%s' "$OUT" | tr -d ' \n')" "status --json: no alert due"
finish
