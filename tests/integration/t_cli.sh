# The command line as a person meets it: help texts, usage errors, config
# errors as FILE:LINE, refusing a readable config with a password, and no
# secret in any output.
. tests/integration/lib.sh

# --- help and version
run "$BIN" --help
expect_rc 0 "--help"
has "Usage: ofii-watch [-c FILE]" "$OUT" "--help shows usage"
for c in run poll parse status check; do
	has "  $c " "$OUT" "--help lists $c"
done
has "Exit status: 0 success, 1 failure while working, 2 bad usage" "$OUT" \
    "--help documents exit codes"

run "$BIN" --version
expect_rc 0 "--version"
has "ofii-watch 0." "$OUT" "--version prints the version"

for c in run poll parse status check; do
	run "$BIN" "$c" --help
	expect_rc 0 "$c --help"
	has "Usage: ofii-watch [-c FILE]" "$OUT" "$c --help has a usage line"
	[ "$(printf '%s\n' "$OUT" | wc -l)" -ge 6 ] && ok "$c --help explains" \
	    || fail "$c --help is too short"
	run "$BIN" help "$c"
	expect_rc 0 "help $c"
done

# --- usage errors: usage on stderr, exit 2
run "$BIN"
expect_rc 2 "no command"
has "Usage:" "$ERR" "no command: usage on stderr"
run "$BIN" frobnicate
expect_rc 2 "unknown command"
has "unknown command 'frobnicate'" "$ERR" "unknown command named"
run "$BIN" --frobnicate parse x
expect_rc 2 "unknown option"
has "Usage:" "$ERR" "unknown option: usage on stderr"
run "$BIN" parse --frobnicate x.eml
expect_rc 2 "unknown parse option"
run "$BIN" parse
expect_rc 2 "parse without files"
run "$BIN" -c /nonexistent/config parse x.eml
expect_rc 2 "explicit missing config"
has "/nonexistent/config: cannot open: No such file or directory" "$ERR" \
    "missing -c file named"

# --- a config with three different mistakes: three FILE:LINE errors
CONF="$TMP/three.conf"
cat >"$CONF" <<'EOC'
[account]
url = imaps://127.0.0.1:1
user = amina@example.org
password_command = echo x
poll_interval = often
[visa]
validated_on = 2023-13-01
[calendar]
colour = blue
EOC
run "$BIN" -c "$CONF" check
expect_rc 2 "config with three mistakes"
has "$CONF:5: 'poll_interval' must be a duration" "$ERR" "error 1 at line 5"
has "$CONF:7: 'validated_on' must be a date YYYY-MM-DD" "$ERR" "error 2 at line 7"
has "$CONF:9: unknown key 'colour' in [calendar]" "$ERR" "error 3 at line 9"
[ "$(printf '%s\n' "$ERR" | grep -c "^$CONF:[0-9]*: ")" = 3 ] \
    && ok "exactly three FILE:LINE errors" || fail "not exactly three errors"

# --- missing required keys for a mailbox command
printf '[visa]\narrival = 2023-09-01\n' >"$TMP/min.conf"
run "$BIN" -c "$TMP/min.conf" poll
expect_rc 2 "poll without [account]"
has "$TMP/min.conf:2: [account] needs 'url'" "$ERR" "missing url named"

# --- an inline password in a group-readable config is refused
CONF="$TMP/pw.conf"
cat >"$CONF" <<'EOC'
[account]
url = imaps://127.0.0.1:1
user = amina@example.org
password = Tr0ub4dor-inline-SECRET
EOC
chmod 0640 "$CONF"
run "$BIN" -v -c "$CONF" check
expect_rc 2 "group-readable config with a password"
has "$CONF:4: this file holds a password but is readable by others (mode 0640)" \
    "$ERR" "refusal names file, line and mode"
has "chmod 600 $CONF" "$ERR" "refusal says how to fix it"
hasnt "Tr0ub4dor" "$OUT$ERR" "inline password not printed"
chmod 0600 "$CONF"
run "$BIN" -v -c "$CONF" check
hasnt "Tr0ub4dor" "$OUT$ERR" "inline password not printed at -v (0600)"
has "Password source: works." "$OUT" "0600 config accepted"

# --- a config others may write runs no command of theirs
CONF="$TMP/open.conf"
cat >"$CONF" <<EOC
[account]
url = imaps://127.0.0.1:1
user = amina@example.org
password_command = touch $TMP/pwned; echo x
[alerts]
alert_command = touch $TMP/pwned
EOC
chmod 0666 "$CONF"
run "$BIN" -c "$CONF" check
expect_rc 2 "world-writable config with commands"
has "$CONF:4: this file holds password_command: $CONF is writable by group and others (mode 0666)" \
    "$ERR" "refusal names file, line, key and mode"
has "run 'chmod go-w $CONF'" "$ERR" "refusal says how to fix it"
[ -e "$TMP/pwned" ] && fail "a command of the open config ran" ||
    ok "no command of the open config ran"
chmod 0644 "$CONF"
mkdir -m 0777 "$TMP/open-dir"
cp "$CONF" "$TMP/open-dir/config"
run "$BIN" -c "$TMP/open-dir/config" check
expect_rc 2 "config in a folder anyone may write"
has "the folder $TMP/open-dir is writable by group and others (mode 0777): refusing it; run 'chmod go-w $TMP/open-dir'" \
    "$ERR" "refusal names the folder and the chmod"
[ -e "$TMP/pwned" ] && fail "a command of the config ran" ||
    ok "no command of the config ran"

# --- password_command: its output never appears, even at -v, even on failure
CONF="$TMP/cmd.conf"
cat >"$CONF" <<'EOC'
[account]
url = imaps://127.0.0.1:1
user = amina@example.org
password_command = printf 'Correct-Horse-SECRET-42\n'
EOC
run "$BIN" -v -c "$CONF" check
has "Password source: works." "$OUT" "password_command works"
has "Mail reader: " "$OUT" "check runs the mail reader program"
has "Couldn't connect to server" "$ERR" "check tries the mailbox and says why it failed"
expect_rc 1 "check with an unreachable mailbox"
run env OFII_WATCH_READER=/nonexistent/ofii-watch-reader "$BIN" -c "$CONF" check
expect_rc 1 "check without the reader program"
has "mail reader: OFII_WATCH_READER=/nonexistent/ofii-watch-reader" "$ERR" \
    "check says the reader cannot be run"
run timeout -s TERM 3 env OFII_WATCH_READER=/nonexistent/ofii-watch-reader \
    "$BIN" -c "$CONF" run
has "mail cannot be read until this is fixed" "$ERR" \
    "run says at its start that the reader cannot be run"
hasnt "Correct-Horse" "$OUT$ERR" "password_command output not printed at -v"
sed -i "s|^password_command = .*|password_command = echo Correct-Horse-SECRET-42; exit 7|" "$CONF"
run "$BIN" -v -c "$CONF" check
expect_rc 1 "failing password_command"
has "password_command: the command failed (exit status 7)" "$ERR" \
    "failure reports the exit status"
hasnt "Correct-Horse" "$OUT$ERR" "failing command's output not printed"
run "$BIN" -v -c "$CONF" --help
hasnt "Correct-Horse" "$OUT$ERR" "--help shows no secret"

# --- commands take no stray arguments
CONF="$TMP/ok.conf"
printf '[account]\nurl = imaps://h.example\nuser = u\npassword_command = echo p\n' >"$CONF"
for c in run poll check "status --json"; do
	run "$BIN" -c "$CONF" $c extra-arg
	expect_rc 2 "$c with a stray argument"
done

# --- OFII_WATCH_NOW is validated
run env OFII_WATCH_NOW=tomorrow "$BIN" parse /dev/null
expect_rc 2 "bad OFII_WATCH_NOW"
has "OFII_WATCH_NOW=tomorrow" "$ERR" "bad OFII_WATCH_NOW named"

finish
