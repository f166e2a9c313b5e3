"""Reading the handout's QR code image (a PNG) without Qt or an imaging library, so that
the export tests stay Qt-free and a barcode reader can decode it."""

from __future__ import annotations

import struct
import zlib

import numpy as np


def pixels(png: bytes) -> np.ndarray:
    """A black and white PNG (1 bit grey, as segno writes it) as a grey numpy image, 0 or
    255."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        chunks[kind] = chunks.get(kind, b"") + png[at + 8 : at + 8 + length]
        at += 12 + length
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">2I5B", chunks[b"IHDR"])
    assert (depth, colour, interlace) == (1, 0, 0)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = (width + 7) // 8
    rows: list[bytes] = []
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        row_filter, data = line[0], line[1:]
        if row_filter == 2:  # "Up": each byte added to the one above
            data = bytes((a + b) & 0xFF for a, b in zip(data, rows[-1], strict=True))
        else:
            assert row_filter == 0
        rows.append(data)
    bits = np.unpackbits(np.frombuffer(b"".join(rows), np.uint8).reshape(height, stride), axis=1)
    return (bits[:, :width] * 255).astype(np.uint8)
