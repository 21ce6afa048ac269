"""Issue 13 point 15: the system libraries Qt's window needs, checked before Qt
loads, so a missing one is a line naming the package to install instead of
Qt's abort ("Could not load the Qt platform plugin xcb", which blames
libxcb-cursor0 whatever is missing).

PySide6's wheels bring Qt but not the X11, OpenGL and font libraries of the
system. The lists are the ``NEEDED`` entries of the wheel's libraries the
window loads (QtCore, QtGui, QtWidgets, QtSvg, the SVG icon plugins, and for
X11 ``libqxcb.so`` with ``libQt6XcbQpa``), minus what every Linux has (libc,
libstdc++, libgcc_s, zlib, zstd); tests/test_h13_startup.py holds them to the
installed wheel. Each is paired with its Debian/Ubuntu package. Qt-free.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# Every Qt window, whatever the platform plugin (QtGui links them).
GUI_LIBRARIES: dict[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
# The X11 platform plugin (xcb), the default on Linux outside Wayland.
XCB_LIBRARIES: dict[str, str] = {
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}
# Not needed to start, named in the README's setup line: OpenGL through GLX,
# printing (CUPS) and the verdict sounds (QtMultimedia); the desk runs without.
OPTIONAL_PACKAGES = ("libxcb-glx0", "libcups2", "libpulse0")

Loader = Callable[[str], object]


def _load(soname: str) -> object:
    """dlopen the library as Qt will (the loader's search path, RTLD_LOCAL)."""
    return ctypes.CDLL(soname)


def uses_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will pick its X11 plugin: asked for by ``QT_QPA_PLATFORM``
    (the first of a ``;`` list), or by default on Linux outside Wayland."""
    if not platform.startswith("linux"):
        return False
    wanted = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if wanted:
        return wanted == "xcb"
    return not (env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland")


def missing_libraries(
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    load: Loader | None = None,
) -> dict[str, str]:
    """The needed libraries the dynamic loader cannot find, with their
    packages (empty when all are there, and off Linux, where the wheel
    brings what it needs)."""
    if not platform.startswith("linux"):
        return {}
    needed = dict(GUI_LIBRARIES)
    if uses_xcb(env, platform):
        needed.update(XCB_LIBRARIES)
    missing: dict[str, str] = {}
    for soname, package in needed.items():
        try:
            (load or _load)(soname)
        except OSError:
            missing[soname] = package
    return missing


def missing_libraries_message(
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    load: Loader | None = None,
) -> str:
    """One line for the desk's start, or "" when nothing is missing."""
    missing = missing_libraries(env, platform, load)
    if not missing:
        return ""
    packages = " ".join(dict.fromkeys(missing.values()))
    return (
        f"the desk window needs system libraries that are not installed: "
        f"{', '.join(missing)}. On Debian or Ubuntu: sudo apt install {packages}"
    )
