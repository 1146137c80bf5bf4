#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small GTK 3 drag source for the drag-and-drop test, as a file manager would be:
a window at X,Y whose only widget offers FILE as text/uri-list (file:// URI).
Usage: drag_source.py FILE X Y. Prints "ready" once the window is mapped and
"drag-end" when a drag from it has ended; quits on SIGTERM."""

import signal
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gio, Gtk  # noqa: E402


def main():
    path, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    uri = Gio.File.new_for_path(path).get_uri()

    win = Gtk.Window(title="Certwiz test drag source")
    win.set_default_size(200, 120)
    win.move(x, y)
    box = Gtk.EventBox()
    box.add(Gtk.Label(label="Drag this file"))
    win.add(box)

    box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
    box.drag_source_add_uri_targets()

    def on_drag_data_get(widget, context, data, info, time):
        data.set_uris([uri])
        print("drag-data-get", flush=True)

    def on_drag_end(widget, context):
        print("drag-end", flush=True)

    def on_map(widget, event):
        print("ready", flush=True)
        return False

    box.connect("drag-data-get", on_drag_data_get)
    box.connect("drag-end", on_drag_end)
    win.connect("map-event", on_map)
    win.connect("destroy", Gtk.main_quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, Gtk.main_quit)
    win.show_all()
    Gtk.main()


if __name__ == "__main__":
    main()
