#!/bin/sh
# The built-in demo: ofii-watch reads a small mailbox of example mails
# (examples/mail/: everyday mail and a phishing attempt in INBOX, the real
# OFII convocation with its PDF in Junk) and says what it found.
#
# This version reads the example mails with `ofii-watch parse`; with the
# mailbox watcher it will serve them from a throwaway IMAP server instead.
cd "$(dirname "$0")/.." || exit 1
BIN=build/ofii-watch
[ -x "$BIN" ] || { echo "demo: build first (make)"; exit 1; }
echo "ofii-watch demo: reading examples/mail/ (INBOX and Junk)"
echo
"$BIN" -q -c /dev/null parse examples/mail/*/*.eml | /usr/bin/python3 examples/summary.py
