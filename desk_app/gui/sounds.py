"""Short feedback sounds for a verdict: accepted, refused, warning.

``PySide6.QtMultimedia`` is imported on first use, not at start: it needs the
system library ``libpulse.so.0`` on Linux, and a desk without it (or without
any audio device) must still work, silently. The first failure is logged once
at INFO ("sound unavailable: ..."); :meth:`Sounds.play` never raises.

The ``QSoundEffect`` objects are made once and reused, so a sound starts with
little latency; :meth:`Sounds.preload` does that ahead of the first scan.
The WAV files come from ``tools/make_sounds.py``.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from desk_app.gui.icons import resource_path

KINDS = ("accepted", "refused", "warning")
VOLUME = 0.8


class Sounds:
    """Plays the desk's verdict sounds, or nothing when sound is off or missing."""

    def __init__(self, enabled: bool, log: logging.Logger | None = None) -> None:
        self._enabled = enabled
        self._log = log or logging.getLogger(__name__)
        self._effects: dict[str, Any] | None = None  # None: not loaded yet
        self._error_status: Any = None
        self._reported: set[str] = set()

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled

    @property
    def available(self) -> bool:
        """Whether sounds can play here (loads QtMultimedia on first ask)."""
        return bool(self._load())

    def preload(self) -> bool:
        """Load the sound effects now if sound is on; True when they can play."""
        return self._enabled and bool(self._load())

    def play(self, kind: str) -> None:
        """Play the sound for ``kind`` ("accepted", "refused" or "warning")."""
        if not self._enabled:
            return
        try:
            effects = self._load()
            if not effects:
                return
            effect = effects.get(kind)
            if effect is None:
                self._report_once(f"kind:{kind}", logging.WARNING, "no sound for %r", kind)
                return
            if effect.status() == self._error_status:
                self._report_once(
                    f"error:{kind}",
                    logging.INFO,
                    "sound unavailable: cannot play %s",
                    effect.source().toLocalFile(),
                )
                return
            if effect.isPlaying():
                effect.stop()
            effect.play()
        except Exception as exc:  # a sound must never break a scan
            self._report_once("play", logging.INFO, "sound unavailable: %s", exc)

    def _load(self) -> dict[str, Any]:
        if self._effects is not None:
            return self._effects
        self._effects = {}
        try:
            multimedia = importlib.import_module("PySide6.QtMultimedia")
            from PySide6.QtCore import QUrl

            effects = {}
            for kind in KINDS:
                path = resource_path("sounds", f"{kind}.wav")
                if not path.is_file():
                    raise FileNotFoundError(f"missing sound file {path}")
                effect = multimedia.QSoundEffect()
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(VOLUME)
                effects[kind] = effect
            self._error_status = multimedia.QSoundEffect.Status.Error
            self._effects = effects
        except Exception as exc:  # ImportError without libpulse; anything else alike
            self._report_once("load", logging.INFO, "sound unavailable: %s", exc)
        return self._effects

    def _report_once(self, key: str, level: int, message: str, *args: object) -> None:
        if key not in self._reported:
            self._reported.add(key)
            self._log.log(level, message, *args)
