"""The link of a patient's live calendar: its webcal:// form, and a QR code that a phone
reads back as exactly the link (issue 19)."""

from __future__ import annotations

import base64

import numpy as np
import pytest
import zxingcpp

from planner.export.subscription import QUIET_ZONE, qr_data_url, qr_modules, qr_png, webcal_url
from tests.export.png import pixels

LINK = "https://agenda.chu-exemple.fr/public/3f2a9c7e1b8d4f6a0e5c2b7d9a1f3e8c/"


def test_a_web_link_becomes_a_webcal_link() -> None:
    assert (
        webcal_url(LINK)
        == "webcal://agenda.chu-exemple.fr/public/3f2a9c7e1b8d4f6a0e5c2b7d9a1f3e8c/"
    )
    assert (
        webcal_url("http://agenda.local:8080/public/abc/")
        == "webcal://agenda.local:8080/public/abc/"
    )
    assert webcal_url("HTTPS://Agenda.example/public/abc/") == "webcal://Agenda.example/public/abc/"


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("", "is empty"),
        ("agenda.example/public/abc/", "is not an https:// or http:// link"),
        ("webcal://agenda.example/public/abc/", "is not an https:// or http:// link"),
        ("ftp://agenda.example/public/abc/", "is not an https:// or http:// link"),
        ("https:///public/abc/", "names no server"),
        ("https://agenda.example/public/abc def/", "characters a link cannot have: ' '"),
        ("https://agenda.example/public/abc/\n", "characters a link cannot have: '\\n'"),
        ("https://agénda.example/public/abc/", "characters a link cannot have: 'é'"),
    ],
)
def test_anything_but_a_web_link_is_refused_in_words(link: str, problem: str) -> None:
    with pytest.raises(ValueError, match="the calendar link") as caught:
        webcal_url(link)
    assert problem in str(caught.value)
    with pytest.raises(ValueError, match="the calendar link"):
        qr_png(link)


@pytest.mark.parametrize(
    "link",
    [
        LINK,
        "https://h.example/p/",  # a short link, a small code
        "https://agenda.centre-hospitalier-universitaire.example/public/"
        + "Zq3xV9bK2mN7pR4tW8yC1dF6gH0jL5sA-_x9Yb2Kc7M/",  # 107 characters
    ],
)
def test_the_code_reads_back_as_exactly_the_link(link: str) -> None:
    image = pixels(qr_png(link, scale=4))
    found = zxingcpp.read_barcodes(image)
    assert [(code.format, code.text) for code in found] == [(zxingcpp.BarcodeFormat.QRCode, link)]
    assert found[0].ec_level == "M"


def test_the_code_has_its_quiet_zone_and_its_scale() -> None:
    scale = 5
    image = pixels(qr_png(LINK, scale=scale))
    modules = qr_modules(LINK)
    assert modules == 45  # version 5: 37 modules, and 4 each side
    assert image.shape == (modules * scale, modules * scale)
    margin = QUIET_ZONE * scale
    ring = np.ones(image.shape, bool)
    ring[margin:-margin, margin:-margin] = False
    assert (image[ring] == 255).all()  # white all round...
    assert (image[margin, margin : margin + 7 * scale] == 0).all()  # ...up to a finder's edge


def test_a_data_url_for_the_handout() -> None:
    url = qr_data_url(LINK, scale=2)
    assert url.startswith("data:image/png;base64,iVBORw0KGgo")  # a PNG's signature
    assert base64.b64decode(url.split(",", 1)[1]) == qr_png(LINK, scale=2)


def test_a_scale_below_one_pixel_is_refused() -> None:
    with pytest.raises(ValueError, match="whole number of pixels"):
        qr_png(LINK, scale=0)
