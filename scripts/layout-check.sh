#!/bin/sh
# The layout rules the compiler cannot see, checked on every `make check`:
#  - every project include is pathed from the top ("imap/wire.h"), so a
#    reader always knows which folder a name comes from;
#  - the daemon's stages (lib, store, config, model, imap, calendar, sinks,
#    daemon) never include the mail parsers or the reader program: those
#    run in the reader, a separate process without the password, and the
#    daemon links none of their libraries;
#  - lib/ depends on nothing else of the project.
cd "$(dirname "$0")/.." || exit 1
status=0
bad() {
	echo "layout: $*" >&2
	status=1
}

for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]'); do
	case $f in tests/fixtures/*) continue ;; esac
	grep -n '^#include "' "$f" | while IFS= read -r line; do
		inc=${line#*#include \"}
		inc=${inc%%\"*}
		case $inc in
		*/*) ;;
		testutil.h) ;;
		*) echo "layout: $f: bare include \"$inc\": write its folder" >&2
		   echo x ;;
		esac
	done | grep -q x && status=1
done

for dir in lib store config model imap calendar sinks daemon; do
	hits=$(grep -rln '^#include "\(parsers\|reader\)/' "$dir" 2>/dev/null)
	[ -n "$hits" ] && bad "$dir/ includes the parsers or the reader:" $hits
done
hits=$(grep -rn '^#include "' lib | grep -v '"lib/')
[ -n "$hits" ] && bad "lib/ includes another folder: $hits"

[ $status = 0 ] && echo "layout: ok"
exit $status
