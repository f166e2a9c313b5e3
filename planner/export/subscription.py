"""A patient's subscription link as a QR code, for the window and the printed handout: a
phone's camera opens the link without anyone typing 32 random characters."""

from __future__ import annotations

import io

import segno


def qr_png(url: str, scale: int = 8) -> bytes:
    """``url`` as a QR code in a PNG image, ``scale`` pixels a module, with the standard
    quiet zone of four modules around it. Error correction level M (15 % of the code may be
    lost: a crease, a smudge on paper), raised by segno when the size allows."""
    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
