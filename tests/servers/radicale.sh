#!/bin/sh
# A throw-away Radicale for the CalDAV tests, on 127.0.0.1, htpasswd bcrypt
# auth, storage in DIR.  Stopped by its PID, never by name.
#   radicale.sh start DIR USER PASSWORD   first start: prints the port
#   radicale.sh restart DIR               start again on the same port
#   radicale.sh stop DIR
# Radicale's request log is DIR/radicale.log.
set -u
PY=/usr/bin/python3
cmd=$1 dir=$2

wait_port() {
	i=0
	while [ $i -lt 100 ]; do
		if curl -s -o /dev/null "http://127.0.0.1:$1/"; then return 0; fi
		sleep 0.1; i=$((i + 1))
	done
	echo "radicale did not start (see $dir/radicale.log)" >&2
	return 1
}

launch() {
	port=$(cat "$dir/port")
	$PY -m radicale --config "$dir/config" >>"$dir/radicale.log" 2>&1 &
	echo $! >"$dir/pid"
	wait_port "$port"
}

case $cmd in
start)
	user=$3 pass=$4
	mkdir -p "$dir/collections"
	htpasswd -B -b -c "$dir/users" "$user" "$pass" 2>/dev/null
	$PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >"$dir/port"
	cat >"$dir/config" <<EOC
[server]
hosts = 127.0.0.1:$(cat "$dir/port")
[auth]
type = htpasswd
htpasswd_filename = $dir/users
htpasswd_encryption = bcrypt
delay = 0
[rights]
type = owner_only
[storage]
filesystem_folder = $dir/collections
[web]
type = none
[logging]
level = info
EOC
	launch && cat "$dir/port"
	;;
restart)
	launch
	;;
stop)
	if [ -f "$dir/pid" ]; then
		pid=$(cat "$dir/pid")
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		rm -f "$dir/pid"
	fi
	;;
*)
	echo "usage: $0 start DIR USER PASSWORD | restart DIR | stop DIR" >&2
	exit 2
	;;
esac
