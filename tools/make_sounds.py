"""Generate the desk's three feedback sounds into ``resources/sounds/``.

    python tools/make_sounds.py [OUTPUT_FOLDER]

Each sound is 16-bit mono PCM at 44.1 kHz, at most 250 ms long, made of sine
partials under a soft attack and a smooth decay to silence, so it neither
clicks nor startles at a busy desk. The output is deterministic: running the
script again gives the same bytes.

- ``accepted.wav``: a rising two-note chime (E5 then A5, a fourth up).
- ``refused.wav``: a low double tone (two short pulses at 196 Hz with a few
  soft odd harmonics, buzz-like but rounded).
- ``warning.wav``: a single mid tone (D5 with a gentle second partial).
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 44_100
PEAK = 0.5  # of full scale: clear at a desk, never harsh
MAX_SECONDS = 0.25
DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "resources" / "sounds"


@dataclass(frozen=True)
class Note:
    """One tone: partials as (frequency multiple, relative amplitude)."""

    start: float  # seconds
    length: float  # seconds
    frequency: float  # Hz
    partials: Sequence[tuple[float, float]] = ((1.0, 1.0),)
    attack: float = 0.006  # seconds of raised-cosine fade-in
    release: float = 0.03  # seconds of raised-cosine fade-out at the end
    decay: float = 0.0  # exponential decay rate per second (0: sustained)
    gain: float = 1.0


def _envelope(t: float, note: Note) -> float:
    if t < 0 or t >= note.length:
        return 0.0
    level = math.exp(-note.decay * t)
    if t < note.attack:
        level *= 0.5 - 0.5 * math.cos(math.pi * t / note.attack)
    remaining = note.length - t
    if remaining < note.release:
        level *= 0.5 - 0.5 * math.cos(math.pi * remaining / note.release)
    return level


def render(notes: Sequence[Note]) -> list[float]:
    """Mix ``notes`` into samples in [-1, 1], normalised to :data:`PEAK`."""
    end = max(n.start + n.length for n in notes)
    count = round(end * RATE)
    samples = [0.0] * count
    for note in notes:
        total = sum(amplitude for _, amplitude in note.partials)
        first = round(note.start * RATE)
        for i in range(round(note.length * RATE)):
            t = i / RATE
            level = _envelope(t, note) * note.gain / total
            if level == 0.0:
                continue
            value = sum(
                amplitude * math.sin(2 * math.pi * note.frequency * multiple * t)
                for multiple, amplitude in note.partials
            )
            if first + i < count:
                samples[first + i] += level * value
    loudest = max(abs(s) for s in samples) or 1.0
    return [s * PEAK / loudest for s in samples]


def write_wav(path: Path, samples: Sequence[float]) -> None:
    if len(samples) > MAX_SECONDS * RATE:
        raise ValueError(f"{path.name}: {len(samples) / RATE:.3f} s is longer than 250 ms")
    frames = b"".join(struct.pack("<h", round(max(-1.0, min(1.0, s)) * 32767)) for s in samples)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


BELL = ((1.0, 1.0), (2.0, 0.25), (3.0, 0.08))  # a soft chime: fundamental and two overtones
BUZZ = ((1.0, 1.0), (3.0, 0.3), (5.0, 0.12), (7.0, 0.05))  # odd partials, rounded square
MELLOW = ((1.0, 1.0), (2.0, 0.15))

SOUNDS: dict[str, list[Note]] = {
    "accepted": [
        Note(0.0, 0.12, 659.25, BELL, attack=0.005, release=0.04, decay=9.0),
        Note(0.085, 0.16, 880.0, BELL, attack=0.005, release=0.07, decay=8.0),
    ],
    "refused": [
        Note(0.0, 0.095, 196.0, BUZZ, attack=0.012, release=0.035),
        Note(0.125, 0.095, 196.0, BUZZ, attack=0.012, release=0.035),
    ],
    "warning": [
        Note(0.0, 0.2, 587.33, MELLOW, attack=0.012, release=0.08, decay=4.0),
    ],
}


def main(argv: Sequence[str] = sys.argv[1:]) -> int:
    folder = Path(argv[0]) if argv else DEFAULT_FOLDER
    for name, notes in SOUNDS.items():
        samples = render(notes)
        path = folder / f"{name}.wav"
        write_wav(path, samples)
        print(f"{path}: {len(samples) / RATE * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
