"""Sounds, icons and translations: the desk's support modules."""

from __future__ import annotations

import importlib.util
import logging
import os
import struct
import sys
import types
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from desk_app.gui import icons, translations
from desk_app.gui.sounds import KINDS, Sounds

# --- sounds -----------------------------------------------------------------


@pytest.fixture
def sound_log(caplog: pytest.LogCaptureFixture) -> logging.Logger:
    caplog.set_level(logging.INFO, logger="test.sounds")
    return logging.getLogger("test.sounds")


def _unavailable_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("sound unavailable:")]


def test_sounds_fall_back_to_silence_without_qtmultimedia(monkeypatch, caplog, sound_log):
    # None in sys.modules makes `import PySide6.QtMultimedia` raise ImportError,
    # as it does on a machine without libpulse.so.0.
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    sounds = Sounds(enabled=True, log=sound_log)
    for kind in (*KINDS, *KINDS, "nonsense"):
        sounds.play(kind)
    assert not sounds.available
    assert not sounds.preload()
    records = _unavailable_records(caplog)
    assert len(records) == 1 and records[0].levelno == logging.INFO


class _FakeEffect:
    class Status:
        Null, Loading, Ready, Error = range(4)

    made: list[_FakeEffect] = []  # noqa: RUF012 - a test double's record

    def __init__(self) -> None:
        self.plays = 0
        self.stops = 0
        self.playing = False
        self.volume = None
        self.url = None
        self.state = self.Status.Ready
        _FakeEffect.made.append(self)

    def setSource(self, url) -> None:
        self.url = url

    def source(self):
        return self.url

    def setVolume(self, volume: float) -> None:
        self.volume = volume

    def status(self) -> int:
        return self.state

    def isPlaying(self) -> bool:
        return self.playing

    def stop(self) -> None:
        self.stops += 1
        self.playing = False

    def play(self) -> None:
        self.plays += 1
        self.playing = True


@pytest.fixture
def fake_multimedia(monkeypatch) -> type[_FakeEffect]:
    _FakeEffect.made = []
    module = types.ModuleType("PySide6.QtMultimedia")
    module.QSoundEffect = _FakeEffect  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", module)
    return _FakeEffect


def test_sound_effects_are_loaded_once_and_reused(fake_multimedia):
    sounds = Sounds(enabled=True)
    assert fake_multimedia.made == []  # nothing loaded before it is needed
    sounds.play("accepted")
    sounds.play("accepted")
    sounds.play("refused")
    assert len(fake_multimedia.made) == len(KINDS)
    by_file = {Path(e.url.toLocalFile()).stem: e for e in fake_multimedia.made}
    assert set(by_file) == set(KINDS)
    assert all(Path(e.url.toLocalFile()).is_file() for e in fake_multimedia.made)
    assert by_file["accepted"].plays == 2 and by_file["accepted"].stops == 1
    assert by_file["refused"].plays == 1 and by_file["warning"].plays == 0


def test_disabled_sounds_load_nothing_until_enabled(fake_multimedia):
    sounds = Sounds(enabled=False)
    sounds.play("warning")
    assert not sounds.preload()
    assert fake_multimedia.made == []
    sounds.set_enabled(True)
    assert sounds.enabled and sounds.available
    sounds.play("warning")
    assert [e.plays for e in fake_multimedia.made if "warning" in e.url.toLocalFile()] == [1]


def test_a_broken_sound_effect_is_reported_once_and_never_raises(
    fake_multimedia, caplog, sound_log
):
    sounds = Sounds(enabled=True, log=sound_log)
    assert sounds.preload()
    for effect in fake_multimedia.made:
        effect.state = _FakeEffect.Status.Error
    sounds.play("refused")
    sounds.play("refused")
    assert sum(e.plays for e in fake_multimedia.made) == 0
    assert len(_unavailable_records(caplog)) == 1

    def explode() -> None:
        raise RuntimeError("audio device vanished")

    for effect in fake_multimedia.made:
        effect.state = _FakeEffect.Status.Ready
        effect.play = explode  # type: ignore[method-assign]
    sounds.play("accepted")  # logs, does not raise


@pytest.mark.parametrize("kind", KINDS)
def test_sound_files_are_short_soft_16_bit_mono(kind):
    with wave.open(str(icons.resource_path("sounds", f"{kind}.wav"))) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (
            1,
            2,
            44_100,
        )
        frames = sound.readframes(sound.getnframes())
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    assert 0.05 <= len(samples) / 44_100 <= 0.25
    assert max(abs(s) for s in samples) < 32_767 * 0.75  # not at full scale
    assert abs(samples[0]) < 200 and abs(samples[-1]) < 200  # fades in and out: no click


def test_the_sound_files_are_what_make_sounds_writes(tmp_path, monkeypatch):
    script = Path(__file__).resolve().parents[2] / "tools" / "make_sounds.py"
    spec = importlib.util.spec_from_file_location("make_sounds", script)
    assert spec is not None and spec.loader is not None
    make_sounds = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_sounds", make_sounds)  # for its dataclass
    spec.loader.exec_module(make_sounds)
    assert make_sounds.main([str(tmp_path)]) == 0
    for kind in KINDS:
        shipped = icons.resource_path("sounds", f"{kind}.wav").read_bytes()
        assert (tmp_path / f"{kind}.wav").read_bytes() == shipped, kind


# --- icons ------------------------------------------------------------------


@pytest.mark.parametrize("name", icons.ICON_NAMES)
def test_icons_render_non_null_pixmaps(qapp, name):
    assert icons.icon_path(name).suffix == ".svg"
    picture = icons.pixmap(name, 48, device_pixel_ratio=1.0)
    assert not picture.isNull() and picture.width() == picture.height() == 48
    image = picture.toImage()
    alphas = [image.pixelColor(x, y).alpha() for x in range(48) for y in range(48)]
    assert max(alphas) == 255 and min(alphas) == 0  # drawn, on a transparent background
    assert icons.pixmap(name, 48, device_pixel_ratio=1.0).cacheKey() == picture.cacheKey()
    assert not icons.icon(name).isNull()


def test_high_density_pixmap_keeps_its_logical_size(qapp):
    picture = icons.pixmap("accepted", 24, device_pixel_ratio=2.0)
    assert picture.width() == 48 and picture.deviceIndependentSize().width() == 24


def test_unknown_icon_is_an_error(qapp):
    with pytest.raises(FileNotFoundError):
        icons.icon_path("no-such-icon")


# --- translations -----------------------------------------------------------

SAMPLE_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="da" sourcelanguage="en">
<context>
    <name>Banner</name>
    <message>
        <source>Accepted</source>
        <translation>Godkendt</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished">Advarsel?</translation>
    </message>
    <message>
        <source>Gone from the code</source>
        <translation type="vanished">Væk</translation>
    </message>
    <message numerus="yes">
        <source>%n loan(s)</source>
        <translation>
            <numerusform>%n lån</numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
</TS>
"""


@pytest.fixture
def sample_resources(tmp_path, monkeypatch) -> Path:
    """A resources folder holding only a small Danish .ts (not the real one)."""
    root = tmp_path / "resources"
    (root / "translations").mkdir(parents=True)
    (root / "translations" / "desk_app_da.ts").write_text(SAMPLE_TS, "utf-8")
    monkeypatch.setattr(translations, "resource_path", lambda *parts: root.joinpath(*parts))
    return root


def test_lrelease_builds_a_qm_that_a_translator_loads(tmp_path, sample_resources):
    qm = tmp_path / "cache" / "sample.qm"
    assert translations.build_qm(sample_resources / "translations" / "desk_app_da.ts", qm)
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("Banner", "Accepted") == "Godkendt"


def test_danish_is_installed_built_into_the_cache_and_removed(qapp, tmp_path, sample_resources):
    cache = tmp_path / "cache"
    assert translations.install_translations(qapp, "en", cache) == []
    installed = translations.install_translations(qapp, "da_DK", cache)
    try:
        assert (cache / "desk_app_da.qm").is_file()
        assert QCoreApplication.translate("Banner", "Accepted") == "Godkendt"
        if len(installed) > 1:  # Qt's own Danish catalogue was found too
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuller"
    finally:
        translations.remove_translations(qapp, installed)
    assert QCoreApplication.translate("Banner", "Accepted") == "Accepted"


def test_the_cached_qm_is_rebuilt_only_when_the_ts_is_newer(
    tmp_path, sample_resources, monkeypatch
):
    cache = tmp_path / "cache"
    ts = sample_resources / "translations" / "desk_app_da.ts"
    built = translations.find_catalogue("da", cache)
    assert built == cache / "desk_app_da.qm"
    builds: list[Path] = []
    real_build = translations.build_qm
    monkeypatch.setattr(translations, "build_qm", lambda s, t: builds.append(t) or real_build(s, t))
    assert translations.find_catalogue("da", cache) == built and builds == []
    later = built.stat().st_mtime + 10
    os.utime(ts, (later, later))
    assert translations.find_catalogue("da", cache) == built and builds == [built]


def test_without_lrelease_the_desk_runs_untranslated(
    qapp, tmp_path, sample_resources, monkeypatch, caplog
):
    monkeypatch.setattr(translations, "find_qt_tool", lambda tool: None)
    installed = translations.install_translations(qapp, "da", tmp_path / "cache")
    try:
        assert QCoreApplication.translate("Banner", "Accepted") == "Accepted"
        assert any("lrelease" in r.getMessage() for r in caplog.records)
    finally:
        translations.remove_translations(qapp, installed)


def test_unfinished_messages_are_listed(tmp_path):
    ts = tmp_path / "sample.ts"
    ts.write_text(SAMPLE_TS, "utf-8")
    found = {(m.source, m.reason) for m in translations.unfinished_messages(ts)}
    assert found == {
        ("Refused", "unfinished"),
        ("Warning", "unfinished"),
        ("%n loan(s)", "empty"),
    }
