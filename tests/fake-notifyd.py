#!/usr/bin/python3
# fake-notifyd.py - a notification server for kith's tests that records what
# it is shown, and can hang or fail on purpose.
#
#   fake-notifyd.py --mode record|hang|error|slow --log FILE
#
# It owns org.freedesktop.Notifications on the session bus given by
# DBUS_SESSION_BUS_ADDRESS and writes one JSON object per Notify call to FILE.
# libnotify accepts ActionInvoked and NotificationClosed only from the owner
# of that name, so the tests ask this server to emit them through its own
# interface, org.kith.Test:
#   InvokeAction(u id, s action)   emits ActionInvoked, then closes it (2)
#   Close(u id, u reason)          emits NotificationClosed
# Modes: "record" answers everything; "hang" never answers Notify or
# GetServerInformation (libnotify then waits 25 s); "error" fails Notify;
# "slow" records each Notify at once but answers it a second later.
# Needs /usr/bin/python3 (Debian's python3-gi).

import argparse
import json
import signal
import sys

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
  <interface name="org.kith.Test">
    <method name="InvokeAction">
      <arg type="u" direction="in"/><arg type="s" direction="in"/>
    </method>
    <method name="Close">
      <arg type="u" direction="in"/><arg type="u" direction="in"/>
    </method>
  </interface>
</node>
"""

PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"


class Server:
    def __init__(self, mode, log):
        self.mode = mode
        self.log = log
        self.next_id = 1
        self.hung = []  # invocations never answered, kept alive on purpose
        self.conn = None

    def record(self, entry):
        with open(self.log, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")

    def emit(self, name, args):
        self.conn.emit_signal(None, PATH, IFACE, name, args)

    def call(self, conn, sender, path, iface, method, params, inv):
        if iface == "org.kith.Test":
            nid, arg = params.unpack()
            if method == "InvokeAction":
                self.emit("ActionInvoked", GLib.Variant("(us)", (nid, arg)))
                self.emit("NotificationClosed", GLib.Variant("(uu)", (nid, 2)))
            else:
                self.emit("NotificationClosed", GLib.Variant("(uu)", (nid, arg)))
            inv.return_value(None)
            return
        if method in ("Notify", "GetServerInformation") and self.mode == "hang":
            self.record({"method": method, "hung": True})
            self.hung.append(inv)
            return
        if method == "GetServerInformation":
            inv.return_value(GLib.Variant("(ssss)", ("fake-notifyd", "kith", "1", "1.2")))
        elif method == "GetCapabilities":
            inv.return_value(GLib.Variant("(as)", (["actions", "body", "body-markup"],)))
        elif method == "CloseNotification":
            (nid,) = params.unpack()
            self.emit("NotificationClosed", GLib.Variant("(uu)", (nid, 3)))
            inv.return_value(None)
        elif method == "Notify":
            app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
            if self.mode == "error":
                self.record({"method": method, "error": True, "summary": summary})
                inv.return_dbus_error("org.freedesktop.Notifications.Error.Test",
                                      "refused on purpose")
                return
            nid = replaces or self.next_id
            self.next_id += 1
            self.record({"method": method, "id": nid, "app": app, "icon": icon,
                         "summary": summary, "body": body,
                         "actions": dict(zip(actions[0::2], actions[1::2])),
                         "urgency": hints.get("urgency"), "timeout": timeout})
            if self.mode == "slow":
                def answer():
                    inv.return_value(GLib.Variant("(u)", (nid,)))
                    return GLib.SOURCE_REMOVE
                GLib.timeout_add(1000, answer)
                return
            inv.return_value(GLib.Variant("(u)", (nid,)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=("record", "hang", "error", "slow"), default="record")
    ap.add_argument("--log", required=True)
    a = ap.parse_args()

    server = Server(a.mode, a.log)
    loop = GLib.MainLoop()
    node = Gio.DBusNodeInfo.new_for_xml(XML)

    def acquired(conn, name):
        print("ready", flush=True)

    def lost(conn, name):
        sys.exit("fake-notifyd: cannot own " + IFACE)

    conn = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    server.conn = conn
    for iface in node.interfaces:
        conn.register_object(PATH, iface, server.call, None, None)
    Gio.bus_own_name_on_connection(conn, IFACE, Gio.BusNameOwnerFlags.NONE, acquired, lost)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    loop.run()


if __name__ == "__main__":
    main()
