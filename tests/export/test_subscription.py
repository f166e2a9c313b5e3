"""The subscription link's QR code: a PNG of the requested scale, quiet zone included."""

from __future__ import annotations

import struct

import segno

from planner.export.subscription import qr_png

URL = "https://calendriers.hopital.example/public/Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0/"


def test_the_qr_code_is_a_png_of_whole_modules() -> None:
    data = qr_png(URL, scale=5)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    modules = segno.make(URL, error="m").symbol_size(scale=1, border=4)
    assert (width, height) == (modules[0] * 5, modules[1] * 5)
    assert qr_png(URL) != data  # 8 pixels a module by default
