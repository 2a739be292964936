"""The signature pad: a full-screen page where the patient (or their representative) signs for a visit.

Input: a pen through tablet events (with pressure), a finger through touch events, or a mouse. Tablet
and touch events are accepted, so Qt never also synthesises mouse events from them and no stroke is
drawn twice; a mouse event that says it came from a pen or a touch screen is ignored for the same
reason. Every sample is kept: x, y (pad pixels), t (ms since the first sample) and pressure 0..1 (0.5
for a mouse, or a touch screen that does not measure pressure).

The signer reads what they agree to (the attestation text, saved as the signature's ``meaning``), gives
their name and role, and signs; or the worker records why they could not sign. ``Sign`` renders the
strokes to a PNG (antialiased, line width following pressure) and calls ``Actions.sign``, which saves
the vector strokes and the image and binds them to the visit's content, locking it.
"""

from fieldapp.ui.signature_pad.canvas import SignatureCanvas
from fieldapp.ui.signature_pad.ink import (
    MAX_POINTS,
    MOUSE_PRESSURE,
    Sample,
    paint_strokes,
    render_png,
    stroke_width,
)
from fieldapp.ui.signature_pad.pad import UNABLE_REASONS, SignaturePad, UnableToSignDialog

__all__ = [
    "MAX_POINTS",
    "MOUSE_PRESSURE",
    "UNABLE_REASONS",
    "Sample",
    "SignatureCanvas",
    "SignaturePad",
    "UnableToSignDialog",
    "paint_strokes",
    "render_png",
    "stroke_width",
]
