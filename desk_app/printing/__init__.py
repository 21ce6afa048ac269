"""reportlab documents built from plain data (slips, manifests, letters)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk_app.printing.manifest import render_manifest
    from desk_app.printing.slips import render_slip

__all__ = ["render_manifest", "render_slip"]


def __getattr__(name: str) -> Any:
    """Import the renderers on first use: services import the plain data in
    ``documents`` from this package, and must not pay for reportlab (about
    0.1 s) at startup."""
    if name == "render_slip":
        from desk_app.printing.slips import render_slip

        return render_slip
    if name == "render_manifest":
        from desk_app.printing.manifest import render_manifest

        return render_manifest
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
