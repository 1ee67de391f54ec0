# Robustness: every hostile mail gets its answer quickly, and an oversized
# mail is still judged.  The mails are made here (tests/robust_mails.py):
#  - five hostile PDFs (decompression bombs, endless content) beside a
#    convocation in the text part: `parse` answers in well under 2 s, the
#    PDFs counted unreadable, the appointment of the text still found;
#  - 28 MB mails, most of it one attachment that max_message_size (25 MiB)
#    cuts through: `parse` reads their first 25 MiB and says so; a poll on
#    a real Dovecot finds the convocation of the text part, and raises the
#    "unreadable" alert for the one whose letter is in the attachment.
. tests/integration/lib.sh

D="$TMP/dovecot"
stop_servers() {
	tests/servers/dovecot.sh stop "$D" 2>/dev/null
	rm -rf "$TMP"
}
trap stop_servers EXIT
mails() { /usr/bin/python3 tests/robust_mails.py "$@"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# --- hostile PDFs
mails pdfbombs "$TMP/pdfbombs.eml"
# The time is the product's: the optimized build (sanitizers double the
# cost of starting two processes).  A generous bound: the figure itself
# is in `make bench`.
t0=$(date +%s%N)
run build/ofii-watch -c /dev/null parse --json "$TMP/pdfbombs.eml"
ms=$(ms_since "$t0")
expect_rc 0 "parse a mail with five PDF bombs"
[ "$ms" -lt 2000 ] && ok "answered in $ms ms (< 2 s)" || fail "answered in $ms ms"
has '"start":"2022-03-15T10:30"' "$OUT" "the text part's appointment is found"
has "attachment piece1.pdf: PDF extraction" "$ERR" "the first bomb is stopped"
has "attachment piece5.pdf: not read" "$ERR" \
    "the mail's PDF time is spent: the last one is not even started"
run sh -c "build/asan/ofii-watch-reader <$TMP/pdfbombs.eml"
expect_rc 0 "the reader on the same mail"
has '"unreadable_pdfs":5' "$OUT" "the five PDFs are counted unreadable"
run "$BIN" -c /dev/null parse --json "$TMP/pdfbombs.eml"
has '"start":"2022-03-15T10:30"' "$OUT" "the same with the sanitizers"

# --- oversized mails, read by `parse`
mails oversized "$TMP/big-text.eml" --in text
mails oversized "$TMP/big-attachment.eml" --in attachment
size=$(stat -c %s "$TMP/big-text.eml")
[ "$size" -gt 28000000 ] && ok "a mail of $size bytes" || fail "mail of $size bytes"
run "$BIN" -c /dev/null parse --json "$TMP/big-text.eml"
expect_rc 0 "parse a mail above max_message_size"
has "larger than max_message_size (26214400 bytes): only its first" "$ERR" \
    "parse says it reads the first 25 MiB only"
has "its application/pdf part is not read" "$ERR" \
    "and that the attachment the cut goes through is dropped"
has '"start":"2022-03-15T10:30"' "$OUT" "the text part's appointment is found"
run "$BIN" -c /dev/null parse --json "$TMP/big-attachment.eml"
expect_rc 0 "parse the one whose letter is in the attachment"
has '"appointments":[]' "$OUT" "no appointment, and no error"

# --- the same mails through a poll of a real Dovecot
tests/servers/dovecot.sh start "$D" || { fail "dovecot did not start"; finish; }
M="$D/mail/test/Maildir"
/usr/bin/python3 tests/servers/seed_maildir.py --date 2022-03-10 "$M" \
    "$TMP/big-text.eml" "$TMP/big-attachment.eml" "$TMP/pdfbombs.eml" \
    >/dev/null
CONF="$TMP/config"
dovecot_account "$D" >"$CONF"
cat >>"$CONF" <<EOF
folders = INBOX
timeout = 10s
[visa]
validated_on = 2022-03-01
[calendar]
vdir = $TMP/cal
[alerts]
alert_command = printf '%s|%s\n' "\$OFII_ALERT_KIND" "\$OFII_ALERT_SUMMARY" >> $TMP/alerts.log
EOF
OFII_WATCH_NOW=2022-03-12T10:00 run "$BIN" -c "$CONF" poll
expect_rc 0 "poll a mailbox holding the 28 MB mails"
has "3 mail(s) read" "$ERR" "every mail is read, none skipped"
has "larger than max_message_size (26214400 bytes): only its first 26214400 bytes are read" \
    "$ERR" "the cut is logged"
has "found|OFII convocation found: medical visit on 2022-03-15 at 10:30" \
    "$(cat "$TMP/alerts.log")" "the convocation of the text part is found"
has "unreadable|A mail from OFII gives no appointment ofii-watch can read (an attachment too large to be read)" \
    "$(cat "$TMP/alerts.log")" \
    "the one whose letter is in the attachment raises the unreadable alert"
has "DTSTART;TZID=Europe/Paris:20220315T103000" "$(cat "$TMP"/cal/*.ics)" \
    "its event is in the calendar"
# Memory: the optimized build, the same mailbox from scratch.  The
# daemon holds one mail of 25 MiB at most, the reader that and its MIME
# copy (the attachment the cut goes through is never decoded): the peak
# of the largest of them (GNU time's %M), far below the 28 MB mails
# times two, let alone three.
rm -rf "$XDG_STATE_HOME" "$TMP/cal"
OFII_WATCH_NOW=2022-03-12T10:00 run /usr/bin/time -f "%M" build/ofii-watch \
    -c "$CONF" poll
expect_rc 0 "the same poll, optimized build"
rss=$(printf '%s\n' "$ERR" | tail -1)
[ "$rss" -lt $((100 * 1024)) ] && ok "peak RSS $((rss / 1024)) MiB (< 100 MiB)" \
    || fail "peak RSS $((rss / 1024)) MiB"
finish
