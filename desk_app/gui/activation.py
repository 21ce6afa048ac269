"""Giving a window the keyboard focus, in one place.

A window manager activates a window that is shown, and gives the activation
back when a dialog closes; without one (a kiosk PC, a bare Xvfb: issue 13,
point 16), and offscreen, nobody does, and a window's F-keys, Esc and Ctrl+P
do nothing until a click. Every window asks for it here, the same way.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def bring_to_front(window: QWidget) -> None:
    """Raise and activate a shown window (Qt activates one that is not
    mapped yet as soon as it is); a hidden one is left alone."""
    if not window.isVisible():
        return
    window.raise_()
    window.activateWindow()
    handle = window.windowHandle()
    if handle is not None:
        handle.requestActivate()
