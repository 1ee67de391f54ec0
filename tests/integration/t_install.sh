# make install (PREFIX, DESTDIR) and make install-user put the right files
# in the right places, and the installed unit passes systemd's verifier.
. tests/integration/lib.sh

run make -s install DESTDIR="$TMP/dest" PREFIX=/opt/ofii
expect_rc 0 "make install DESTDIR= PREFIX="
for f in bin/ofii-watch lib/systemd/user/ofii-watch.service \
    share/doc/ofii-watch/ofii-watch.conf.example share/doc/ofii-watch/README.md; do
	[ -f "$TMP/dest/opt/ofii/$f" ] && ok "installed $f" || fail "missing $f"
done
[ -x "$TMP/dest/opt/ofii/bin/ofii-watch" ] && ok "binary is executable" || fail "binary not executable"
[ -x "$TMP/dest/opt/ofii/libexec/ofii-watch/ofii-watch-reader" ] &&
    ok "reader program in libexec/ofii-watch" || fail "no libexec/ofii-watch/ofii-watch-reader"
# The installed daemon finds its reader (relative to itself, so DESTDIR
# staging works as the final tree will).
SAMPLE=tests/fixtures/samples/01_angers_pdf_only_xray_centre.eml
run "$TMP/dest/opt/ofii/bin/ofii-watch" parse "$SAMPLE"
expect_rc 0 "installed ofii-watch parse"
has '"kind":"convocation"' "$OUT" "installed ofii-watch reads a mail through its reader"
has "ExecStart=/opt/ofii/bin/ofii-watch run" "$(cat "$TMP/dest/opt/ofii/lib/systemd/user/ofii-watch.service")" \
    "unit points at the installed binary"
run make -s uninstall DESTDIR="$TMP/dest" PREFIX=/opt/ofii
expect_rc 0 "make uninstall DESTDIR= PREFIX="
left=$(find "$TMP/dest" -type f | sed "s|$TMP/dest||")
[ -z "$left" ] && ok "uninstall removes every installed file" || fail "left behind: $left"

run make -s install-user
expect_rc 0 "make install-user"
[ -x "$HOME/.local/bin/ofii-watch" ] && ok "binary in ~/.local/bin" || fail "no ~/.local/bin/ofii-watch"
U="$XDG_CONFIG_HOME/systemd/user/ofii-watch.service"
[ -f "$U" ] && ok "unit in ~/.config/systemd/user" || fail "no user unit"
has "ExecStart=%h/.local/bin/ofii-watch run" "$(cat "$U")" "user unit runs ~/.local/bin/ofii-watch"
has "systemctl --user daemon-reload && systemctl --user enable --now ofii-watch" "$OUT" \
    "install-user prints the systemctl line"
run "$HOME/.local/bin/ofii-watch" parse "$SAMPLE"
has '"kind":"convocation"' "$OUT" "~/.local/bin/ofii-watch finds ~/.local/libexec/ofii-watch/ofii-watch-reader"
C="$XDG_CONFIG_HOME/ofii-watch/config"
[ "$(stat -c %a "$C")" = 600 ] && ok "example config installed 0600" || fail "config mode $(stat -c %a "$C")"
[ "$(stat -c %a "$XDG_CONFIG_HOME/ofii-watch")" = 700 ] && ok "config dir 0700" || fail "config dir mode"
# Without its reader, a clear error that says what to do.
mv "$HOME/.local/libexec/ofii-watch/ofii-watch-reader" "$TMP/reader.away"
run "$HOME/.local/bin/ofii-watch" parse "$SAMPLE"
expect_rc 1 "parse without the reader program fails"
has "reinstall ofii-watch" "$ERR" "and says to reinstall"
mv "$TMP/reader.away" "$HOME/.local/libexec/ofii-watch/ofii-watch-reader"
echo "# mine" >>"$C"
run make -s install-user
has "# mine" "$(cat "$C")" "install-user keeps an existing config"

# The unit as installed passes `systemd-analyze --user verify` (it needs
# an XDG_RUNTIME_DIR and an existing ExecStart; --man=no: no man page).
mkdir -p "$TMP/run" && chmod 700 "$TMP/run"
run env XDG_RUNTIME_DIR="$TMP/run" systemd-analyze --user verify --man=no "$U"
expect_rc 0 "systemd-analyze --user verify"
[ -z "$OUT$ERR" ] && ok "verify prints no warning" || fail "verify says: $OUT$ERR"
# A broken copy is caught, so this check can fail.
sed 's/^WatchdogSec=.*/WatchdogSec=sixty/' "$U" >"$TMP/run/broken.service"
run env XDG_RUNTIME_DIR="$TMP/run" systemd-analyze --user verify --man=no "$TMP/run/broken.service"
has "Failed to parse" "$OUT$ERR" "verify catches a broken unit"
finish
