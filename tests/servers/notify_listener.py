#!/usr/bin/python3
"""Stand-in for systemd's notification socket: binds a unix datagram socket
at PATH and appends every sd_notify() datagram to LOG as one JSON line
{"t": seconds since start, "msg": "READY=1\\nSTATUS=..."}.

    notify_listener.py PATH LOG      (runs until killed; prints "ready")
"""
import json
import os
import socket
import sys
import time


def main():
    path, log = sys.argv[1], sys.argv[2]
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    t0 = time.monotonic()
    print("ready", flush=True)
    while True:
        data = s.recv(4096)
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"t": round(time.monotonic() - t0, 3),
                                "msg": data.decode("utf-8", "replace")}) + "\n")


if __name__ == "__main__":
    main()
