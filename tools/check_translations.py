"""List the messages of the ``.ts`` files that still need a translation.

    python tools/check_translations.py [TS_FILE...]

Without arguments checks every ``resources/translations/*.ts``. Prints one
line per message whose translation is empty or marked unfinished and exits 1
when there is any, so a release can insist on a complete catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk_app.gui.translations import unfinished_messages  # noqa: E402


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted((ROOT / "resources" / "translations").glob("*.ts"))
    if not files:
        print("no .ts files found", file=sys.stderr)
        return 1
    missing_total = 0
    for ts_file in files:
        missing = unfinished_messages(ts_file)
        missing_total += len(missing)
        for message in missing:
            source = message.source.replace("\n", "\\n")
            print(
                f"{ts_file.name}: [{message.context or '(no context)'}] {message.reason}: {source}"
            )
        print(f"{ts_file.name}: {len(missing)} message(s) to translate", file=sys.stderr)
    return 1 if missing_total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
