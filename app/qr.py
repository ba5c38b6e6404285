"""QR codes for table cards, as SVG or PNG."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from starlette.requests import Request


def public_base(request: Request) -> str:
    """Where phones reach this server: PUBLIC_URL when set (a laptop on its own Wi-Fi), else the
    address the leader's browser used."""
    return request.app.state.settings.public_url or str(request.base_url).rstrip("/")


def _qr(data: str) -> qrcode.QRCode:
    # Medium error correction survives a coffee stain without making the code too dense to scan.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=10)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str) -> bytes:
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_png(data: str) -> bytes:
    buffer = io.BytesIO()
    _qr(data).make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
