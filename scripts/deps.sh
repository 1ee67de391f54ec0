#!/bin/sh
# Install what ofii-watch needs to build, test and run its demo on Debian 12.
# A no-op (no apt-get, no sudo) when everything is already there.
#
#   scripts/deps.sh          build + test + demo dependencies
#   scripts/deps.sh --list   print the package list and exit
set -eu

# Build: compiler, pkg-config and the libraries (libcurl in its gnutls
# flavour: libetpan-dev depends on it and libcurl4-openssl-dev conflicts).
BUILD="gcc make pkgconf libcurl4-gnutls-dev libetpan-dev libical-dev
libsystemd-dev libpoppler-glib-dev libxml2-dev libjson-c-dev nettle-dev
libcmocka-dev"
# Tests and demo: real servers and real calendar clients, the fuzzers' clang,
# the PDF fixture generator (python3-cairo + DejaVu) and its checker.
TEST="clang dovecot-imapd radicale apache2-utils openssl ca-certificates
khal python3-icalendar python3-cairo fonts-dejavu-core poppler-utils
systemd dbus-daemon python3-dbus python3-gi fetchmail bc strace"

PKGS=$(echo $BUILD $TEST)
if [ "${1:-}" = "--list" ]; then
	echo "$PKGS"
	exit 0
fi

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: no apt-get here; install them with your package manager" >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps: missing packages:$missing (run as root or install sudo)" >&2
		exit 1
	}
	SUDO=sudo
fi
echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# Servers are started by the tests themselves, never as system services.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends $missing
