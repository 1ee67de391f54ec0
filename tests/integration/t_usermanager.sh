# End to end under a real `systemd --user` manager: `make install-user`,
# then the unit as a person would run it — systemctl start (Type=notify:
# active only after READY=1), STATUS= text, the convocation from Junk in
# the vdir, systemctl reload (SIGHUP), systemctl stop — with every
# hardening option of the unit in force.
#
# There is no booted systemd here, so the manager gets what PID 1 would
# have prepared: a private mount namespace with
# /run/systemd/system and /run/systemd/inaccessible, its own cgroups, a
# pty as /dev/console.  Everything lives under /home (PrivateTmp=yes hides
# /tmp from the service).  Without root or these tools, it says why and
# skips.
. tests/integration/lib.sh

skip() { echo "skip $*"; finish; }
[ "$(id -u)" = 0 ] || skip "needs root (cgroups, mount namespace)"
for t in unshare script systemctl /lib/systemd/systemd; do
	command -v "$t" >/dev/null || skip "no $t"
done
[ -w /sys/fs/cgroup/unified ] || [ -w /sys/fs/cgroup ] || skip "no writable cgroup tree"

E=$(mktemp -d /home/ofii-e2e.XXXXXX) || skip "cannot create a directory in /home"
chmod 0755 "$E"
CG="ofii-e2e-$$"
# Every process of the manager, its services included: its cgroup knows.
cg_pids() {
	for c in unified systemd; do
		[ -d "/sys/fs/cgroup/$c/$CG" ] &&
		    find "/sys/fs/cgroup/$c/$CG" -name cgroup.procs -exec cat {} \;
	done | sort -u
}
cleanup() {
	cg_pids | xargs -r kill -TERM 2>/dev/null
	for i in $(seq 30); do [ -z "$(cg_pids)" ] && break; sleep 0.1; done
	cg_pids | xargs -r kill -KILL 2>/dev/null
	sleep 0.2
	tests/servers/dovecot.sh stop "$E/imap" 2>/dev/null
	umount "$E/xdg" 2>/dev/null
	for c in unified systemd; do
		[ -d "/sys/fs/cgroup/$c/$CG" ] || continue
		find "/sys/fs/cgroup/$c/$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	rm -rf "$E" "$TMP"
}
trap cleanup EXIT

export HOME="$E/home" XDG_CONFIG_HOME="$E/home/.config" \
    XDG_STATE_HOME="$E/home/.local/state" XDG_DATA_HOME="$E/home/.local/share" \
    XDG_RUNTIME_DIR="$E/xdg"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
# As on a real system, the runtime directory is a tmpfs: systemd refuses
# to put credentials (LoadCredential=) on a disk file system.
mount -t tmpfs -o mode=0700 tmpfs "$XDG_RUNTIME_DIR" || skip "cannot mount a tmpfs"

tests/servers/dovecot.sh start "$E/imap" >/dev/null || skip "dovecot did not start"
M="$E/imap/mail/test/Maildir"
/usr/bin/python3 tests/servers/seed_maildir.py --date 2022-03-05 "$M" --generate 50 >/dev/null
/usr/bin/python3 tests/servers/seed_maildir.py --folder Junk --date 2022-03-10 "$M" \
    tests/fixtures/mail/formats/01_lyon_pdf_only_xray_villeurbanne.eml >/dev/null

run make -s install-user
expect_rc 0 "make install-user"
# The password in a private file.  (LoadCredential= delivers nothing under
# this makeshift manager — measured: the credentials directory stays empty
# even for a unit without any hardening — so it is not used here; reading
# $CREDENTIALS_DIRECTORY is covered by test_secret.)
mkdir -p "$XDG_CONFIG_HOME/ofii-watch"
printf 'secret\n' >"$XDG_CONFIG_HOME/ofii-watch/imap.pass"
chmod 0600 "$XDG_CONFIG_HOME/ofii-watch/imap.pass"
cat >"$XDG_CONFIG_HOME/ofii-watch/config" <<EOF
[account]
url = imaps://127.0.0.1:$(cat "$E/imap/imaps_port")
user = test
password_file = $XDG_CONFIG_HOME/ofii-watch/imap.pass
ca_file = $E/imap/ca.pem
poll_interval = 1h
[visa]
arrival = 2022-01-26
validated_on = 2022-03-01
valid_until = 2023-01-25
EOF
chmod 0600 "$XDG_CONFIG_HOME/ofii-watch/config"
D="$XDG_CONFIG_HOME/systemd/user/ofii-watch.service.d"
mkdir -p "$D"
# Test-only additions: a fixed clock, and the service's output in a file
# (there is no journald here).
cat >"$D/test.conf" <<EOF
[Service]
Environment=OFII_WATCH_NOW=2022-03-12T10:00
StandardOutput=append:$E/service.log
StandardError=append:$E/service.log
EOF

cat >"$E/manager.sh" <<EOF
#!/bin/sh
# Inside a private mount namespace, on a pty: what PID 1 would provide.
mount -t tmpfs tmpfs /run/systemd || exit 1
mkdir -p /run/systemd/system /run/systemd/unit-root
i=/run/systemd/inaccessible
mkdir -p \$i && mkdir -m 0 \$i/dir && touch \$i/reg && chmod 0 \$i/reg
mknod -m 0 \$i/chr c 0 0; mknod -m 0 \$i/blk b 0 0; mkfifo -m 0 \$i/fifo
/usr/bin/python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \$i/sock
chmod 0 \$i/sock
for c in unified systemd; do
	[ -d /sys/fs/cgroup/\$c ] || continue
	mkdir -p /sys/fs/cgroup/\$c/$CG && echo \$\$ >/sys/fs/cgroup/\$c/$CG/cgroup.procs
done
mount --bind "\$(tty)" /dev/console
exec /lib/systemd/systemd --user --log-target=console --log-level=info
EOF
chmod +x "$E/manager.sh"
setsid unshare -m --propagation private script -qfc "$E/manager.sh" "$E/manager.log" \
    >/dev/null 2>&1 </dev/null &
for i in $(seq 100); do [ -S "$XDG_RUNTIME_DIR/systemd/private" ] && break; sleep 0.1; done
[ -S "$XDG_RUNTIME_DIR/systemd/private" ] || { cat "$E/manager.log"; skip "the user manager did not start here"; }
ok "systemd --user manager running"

run systemctl --user daemon-reload
expect_rc 0 "systemctl --user daemon-reload"
run timeout 60 systemctl --user start ofii-watch
expect_rc 0 "systemctl --user start (returns once READY=1 arrived)"
[ "$RC" = 0 ] || { tail -15 "$E/manager.log"; tail -5 "$E/service.log"; } | sed 's/^/    | /'

run systemctl --user is-active ofii-watch
has "active" "$OUT" "the unit is active"
for i in $(seq 100); do
	ls "$XDG_DATA_HOME"/ofii-watch/calendar/ofii-medical-*.ics >/dev/null 2>&1 && break
	sleep 0.1
done
ls "$XDG_DATA_HOME"/ofii-watch/calendar/ofii-medical-*.ics >/dev/null 2>&1 \
    && ok "the convocation from Junk is in the default vdir" \
    || fail "no event written: $(tail -5 "$E/service.log")"
for i in $(seq 50); do
	run systemctl --user show -p StatusText --value ofii-watch
	case "$OUT" in *"Convocation found"*) break ;; esac
	sleep 0.1
done
has "Convocation found: medical on 2022-03-08 09:30" "$OUT" "STATUS= shown by systemctl"
[ -s "$XDG_STATE_HOME/ofii-watch/state.json" ] && ok "state written in StateDirectory" \
    || fail "no state file"
run systemctl --user show -p NoNewPrivileges,PrivateUsers,ProtectSystem --value ofii-watch
has "yes" "$OUT" "hardening in force"

run timeout 30 systemctl --user reload ofii-watch
expect_rc 0 "systemctl --user reload (SIGHUP)"
sleep 0.5
has "configuration reloaded" "$(cat "$E/service.log")" "the daemon reloaded its configuration"
run systemctl --user is-active ofii-watch
has "active" "$OUT" "still active after the reload"

run timeout 30 systemctl --user stop ofii-watch
expect_rc 0 "systemctl --user stop"
run systemctl --user show -p Result,ExecMainStatus --value ofii-watch
has "success" "$OUT" "stopped cleanly (Result=success)"
hasnt "secret" "$(cat "$E/service.log")" "the credential's content never logged"
finish
