#!/bin/bash
# The built-in demo (`make demo`): a throwaway IMAP server on 127.0.0.1
# with TLS and its own certificate authority, a mailbox with everyday mail
# and a phishing attempt in INBOX and the real OFII convocation (PDF) in
# Junk, then one `ofii-watch poll` against it with a generated config:
# what it found, the calendar files it wrote, the agenda as khal shows it,
# and `ofii-watch status`.  Everything lives in a temporary directory that
# is removed at the end; the server is stopped even on failure.
#
# The story: Kwame arrived on 5 January 2022, validated his visa on 20
# January, and it is now the evening of 10 February 2022.
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=$PWD/build/ofii-watch
[ -x "$BIN" ] || { echo "demo: build first (make)" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
	# The throwaway Dovecot runs its mail processes as uid 65534.
	if command -v sudo >/dev/null 2>&1; then
		echo "demo: the throwaway IMAP server needs root; asking sudo" >&2
		exec sudo "$0" "$@"
	fi
	echo "demo: the throwaway Dovecot runs its mail processes as uid 65534," >&2
	echo "      which needs root: run 'make demo' as root" >&2
	exit 1
fi

DIR=$(mktemp -d /tmp/ofii-watch-demo.XXXXXX)
chmod 0755 "$DIR"
cleanup() {
	tests/servers/dovecot.sh stop "$DIR/imap" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting a throwaway IMAP server (Dovecot, TLS, its own CA) on 127.0.0.1"
tests/servers/dovecot.sh start "$DIR/imap" || exit 1
PORT=$(cat "$DIR/imap/imaps_port")
M="$DIR/imap/mail/test/Maildir"
seed() { /usr/bin/python3 tests/servers/seed_maildir.py "$@" >/dev/null; }
seed --date 2022-01-25 "$M" --generate 200
seed --date 2022-02-03 "$M" examples/mail/INBOX/*.eml
seed --folder Junk --date 2022-02-10T09:41 "$M" examples/mail/Junk/*.eml
echo "   imaps://127.0.0.1:$PORT, user 'test': 200 everyday mails and"
echo "   $(ls examples/mail/INBOX | wc -l) more in INBOX, $(ls examples/mail/Junk | wc -l) in Junk"

cat >"$DIR/config" <<EOF
[account]
url = imaps://127.0.0.1:$PORT
user = test
password_command = echo secret
ca_file = $DIR/imap/ca.pem
[visa]
arrival = 2022-01-05
validated_on = 2022-01-20
valid_until = 2023-01-04
[calendar]
vdir = $DIR/calendar
file = $DIR/ofii.ics
EOF
export HOME="$DIR/home" XDG_STATE_HOME="$DIR/state" OFII_WATCH_NOW=2022-02-10T18:00
export TZ=Europe/Paris
mkdir -p "$HOME"

step "ofii-watch poll  (it is $OFII_WATCH_NOW in Paris)"
"$BIN" -c "$DIR/config" poll 2>&1 | sed 's/^<[0-9]>//; s/^/   /'

step "Calendar files written ($DIR/calendar, one .ics per event)"
ls "$DIR/calendar" | sed 's/^/   /'

step "The agenda, as khal reads the calendar folder"
cat >"$DIR/khal.conf" <<EOF
[calendars]
[[ofii]]
path = $DIR/calendar
type = calendar
[locale]
local_timezone = Europe/Paris
default_timezone = Europe/Paris
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[default]
default_calendar = ofii
[sqlite]
path = $DIR/khal.db
EOF
khal -c "$DIR/khal.conf" list --format '{start-time} {title}  {location}' \
    2022-02-10 400d 2>/dev/null | sed 's/^/   /'

step "ofii-watch status"
"$BIN" -c "$DIR/config" status | sed 's/^/   /'

step "Done: the server is stopped and $DIR removed."
echo "   With your own mailbox: make install-user, edit ~/.config/ofii-watch/config,"
echo "   then: ofii-watch check && systemctl --user enable --now ofii-watch"
