# Shared helpers of the integration tests (sourced).  Run from the top of
# the tree.  BIN is the binary under test: the sanitizer build when it
# exists, so every run of the command line is also a memory check.
set -u
BIN=${BIN:-build/asan/ofii-watch}
[ -x "$BIN" ] || BIN=build/ofii-watch
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}"
TMP=$(mktemp -d /tmp/ofii-it.XXXXXX)
# Test servers run as other users (dovecot, uid 65534): let them in.
chmod 0755 "$TMP"
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" \
    XDG_STATE_HOME="$TMP/home/.local/state" XDG_DATA_HOME="$TMP/home/.local/share"
mkdir -p "$HOME"
unset OFII_WATCH_NOW CREDENTIALS_DIRECTORY JOURNAL_STREAM NOTIFY_SOCKET
FAILS=0
trap 'rm -rf "$TMP"' EXIT
# Killed (a CI timeout, ^C): still run the EXIT trap, which each test sets
# to stop its servers; a shell killed by a signal would skip it.
trap 'exit 130' INT TERM HUP

ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }

# run CMD...: capture stdout, stderr and status in $OUT $ERR $RC
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# expect_rc WANT LABEL
expect_rc() {
	if [ "$RC" = "$1" ]; then ok "$2 (exit $RC)"
	else fail "$2: exit $RC, expected $1"; printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/    | /' | head -20; fi
}

# has TEXT HAYSTACK LABEL / hasnt TEXT HAYSTACK LABEL
has() {
	case "$2" in *"$1"*) ok "$3" ;;
	*) fail "$3: missing '$1'"; printf '%s\n' "$2" | sed 's/^/    | /' | head -20 ;; esac
}
hasnt() {
	case "$2" in *"$1"*) fail "$3: unexpected '$1'" ;; *) ok "$3" ;; esac
}

# dovecot_account DIR: the [account] lines for user "test" of the Dovecot
# that tests/servers/dovecot.sh started in DIR (IMAPS, its own CA).
dovecot_account() {
	printf '[account]\nurl = imaps://127.0.0.1:%s\nuser = test\n' \
	    "$(cat "$1/imaps_port")"
	printf 'password_command = echo secret\nca_file = %s\n' "$1/ca.pem"
}

finish() {
	if [ "$FAILS" -gt 0 ]; then echo "$FAILS check(s) failed"; exit 1; fi
	exit 0
}
