"""The desk's SVG icons, and where its resource files are found.

The icons in ``resources/icons/`` are white on a transparent background, drawn
to sit on the green, amber and red verdict banners (``desk`` is the
application icon and brings its own tile). :func:`pixmap` renders through
``QSvgRenderer`` (no icon-engine plugin needed, so it works the same in a
PyInstaller bundle) and keeps the result in Qt's ``QPixmapCache``.

:func:`resource_path` is the one place that finds a file under
``resources/`` (the package ``desk_app.resources``): from a source checkout,
an installed wheel, or a frozen bundle, where the data lies under
``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPixmap, QPixmapCache
from PySide6.QtSvg import QSvgRenderer

RESOURCE_PACKAGE = "desk_app.resources"
ICON_NAMES = ("accepted", "warning", "refused", "desk")
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def resource_path(*parts: str) -> Path:
    """The file ``resources/<parts...>``; it may not exist (callers check)."""
    try:
        root = Path(str(resources.files(RESOURCE_PACKAGE)))
    except (ModuleNotFoundError, TypeError):
        root = None
    if root is None or not root.is_dir():
        frozen_root = getattr(sys, "_MEIPASS", None)
        if frozen_root is None:
            raise FileNotFoundError(f"the package {RESOURCE_PACKAGE} is not installed")
        root = Path(frozen_root) / "desk_app" / "resources"
    return root.joinpath(*parts)


def icon_path(name: str) -> Path:
    """``resources/icons/<name>.svg``; FileNotFoundError for an unknown icon."""
    path = resource_path("icons", f"{name}.svg")
    if not path.is_file():
        raise FileNotFoundError(f"no icon {name!r} (looked for {path})")
    return path


def pixmap(name: str, size: int, device_pixel_ratio: float | None = None) -> QPixmap:
    """The icon rendered ``size`` x ``size`` (logical pixels), cached.

    ``device_pixel_ratio`` defaults to the application's, so the icon stays
    sharp on high-density screens. Needs a QGuiApplication.
    """
    if device_pixel_ratio is None:
        app = QGuiApplication.instance()
        device_pixel_ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
    key = f"desk_app-icon:{name}:{size}:{device_pixel_ratio:g}"
    cached = QPixmap()
    if QPixmapCache.find(key, cached) and not cached.isNull():
        return cached
    result = _render(icon_path(name), size, device_pixel_ratio)
    QPixmapCache.insert(key, result)
    return result


def icon(name: str) -> QIcon:
    """A QIcon holding the rendered icon at the usual sizes."""
    result = QIcon()
    for size in ICON_SIZES:
        result.addPixmap(pixmap(name, size, 1.0))
    return result


def _render(path: Path, size: int, device_pixel_ratio: float) -> QPixmap:
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        raise ValueError(f"not a valid SVG image: {path}")
    pixels = max(1, round(size * device_pixel_ratio))
    result = QPixmap(pixels, pixels)
    result.fill(Qt.GlobalColor.transparent)
    painter = QPainter(result)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, pixels, pixels))
    finally:
        painter.end()
    result.setDevicePixelRatio(device_pixel_ratio)
    return result
