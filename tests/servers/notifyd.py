#!/usr/bin/python3
"""A stand-in desktop notification daemon for the tests: owns
org.freedesktop.Notifications on the session bus given by
DBUS_SESSION_BUS_ADDRESS and appends each Notify call to FILE as one JSON
line {"app", "icon", "summary", "body"}.

    notifyd.py FILE        (runs until killed; prints "ready" when it is)

GetCapabilities answers "body body-markup" (as GNOME Shell, KDE Plasma,
dunst and mako do), or $NOTIFYD_CAPS (space-separated) when it is set.
"""
import os
import json
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib


class Notifications(dbus.service.Object):
    def __init__(self, bus, path, log):
        super().__init__(bus, path)
        self.log = log
        self.next_id = 1

    @dbus.service.method("org.freedesktop.Notifications",
                         in_signature="", out_signature="as")
    def GetCapabilities(self):
        return os.environ.get("NOTIFYD_CAPS", "body body-markup").split()

    @dbus.service.method("org.freedesktop.Notifications",
                         in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        with open(self.log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"app": str(app), "icon": str(icon),
                                "summary": str(summary), "body": str(body)},
                               ensure_ascii=False) + "\n")
        self.next_id += 1
        return self.next_id - 1


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    name = dbus.service.BusName("org.freedesktop.Notifications", bus)
    Notifications(bus, "/org/freedesktop/Notifications", sys.argv[1])
    print("ready", flush=True)
    GLib.MainLoop().run()
    del name


if __name__ == "__main__":
    main()
