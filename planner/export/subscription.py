"""A patient's live calendar: its link, its webcal:// form and its QR code (issue 19).

The hospital's server publishes each patient's treatment calendar as a CalDAV collection
that can be read without a password, ``https://…/public/<token>/``: a calendar app that
subscribes to it shows the patient's appointments and follows their changes. The printed
handout (planner.export.handout) carries the link as text and as a QR code.

The QR code holds the ``https://`` link itself, not its ``webcal://`` form: a phone's camera
offers to open or copy an https link, and Google Calendar's "From URL" wants http(s).
``webcal://`` (the same address under the scheme calendar apps register for subscriptions,
a provisional scheme, not a standard; Apple Calendar and Outlook take it) is for a link
that a click should open in the calendar app rather than the browser.

The code is an image, a PNG: QTextDocument, which prints the handout, renders no inline SVG
but does load ``<img src="data:image/png;base64,...">``, so the handout's HTML stays one
self-contained document. Error correction level M (15 % of the code may be damaged: a fold,
a pen stroke) and the quiet zone of 4 modules that ISO/IEC 18004 asks for around it.
"""

from __future__ import annotations

import base64
import io
import string
from urllib.parse import urlsplit

import segno

QUIET_ZONE = 4
"""The white margin around the code, in modules: the 4 that ISO/IEC 18004 asks for."""

ERROR_CORRECTION = "m"
"""Level M: up to about 15 % of the code can be lost and it still reads."""

_ALLOWED = frozenset(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")
"""The characters of a link (RFC 3986 §2): anything else (a space, an accented letter) is
a mistake in the configured address, refused before it is printed."""


def _checked(url: str) -> str:
    """``url`` when it is an absolute http(s) link with a host; ValueError naming what is
    wrong otherwise."""
    if not url:
        raise ValueError("the calendar link is empty")
    wrong = sorted({c for c in url if c not in _ALLOWED})
    if wrong:
        raise ValueError(
            f"the calendar link {url!r} has characters a link cannot have: "
            + ", ".join(repr(c) for c in wrong)
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("https", "http"):
        raise ValueError(f"the calendar link {url!r} is not an https:// or http:// link")
    if not parts.hostname:
        raise ValueError(f"the calendar link {url!r} names no server")
    return url


def webcal_url(url: str) -> str:
    """The ``webcal://`` form of an ``https://`` (or ``http://``) calendar link: the same
    address, the scheme that asks a calendar app to subscribe rather than a browser to
    download. ValueError for anything but an absolute http(s) link."""
    _checked(url)
    return "webcal:" + url.split(":", 1)[1]


def _code(url: str) -> segno.QRCode:
    # boost_error=False: the level stays M for every link (segno would otherwise raise it
    # when the link fits a version's higher level), so the code is what this module says.
    return segno.make_qr(_checked(url), error=ERROR_CORRECTION, boost_error=False)


def qr_modules(url: str) -> int:
    """The QR code's width in modules, its quiet zone included: 41 for a link of 43 to 62
    characters, 45 up to 84, 49 up to 106 (versions 4 to 6 at level M)."""
    width, _height = _code(url).symbol_size(scale=1, border=QUIET_ZONE)
    return int(width)


def qr_png(url: str, *, scale: int = 16) -> bytes:
    """The QR code of ``url`` as a black and white PNG, ``scale`` pixels per module, with
    its quiet zone. A fine scale keeps the modules' edges sharp however a printer driver
    resamples the image (16: 656 pixels for 41 modules, 400 dpi at 4 cm)."""
    if scale < 1:
        raise ValueError(f"a QR code's scale is a whole number of pixels, not {scale}")
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def qr_data_url(url: str, *, scale: int = 16) -> str:
    """The QR code of ``url`` as a ``data:`` URL for an ``<img>`` of the handout."""
    png = base64.b64encode(qr_png(url, scale=scale)).decode("ascii")
    return f"data:image/png;base64,{png}"
