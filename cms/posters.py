"""Printable A4 QR posters for events and programmes, downloaded by editors from the page's admin.

The QR code carries the page's address on the configured public host (the Site follows
WAGTAILADMIN_BASE_URL), so a poster printed from the demo or from production points where
people can reach. reportlab's CID font STSong-Light draws Chinese without a font file, as the
certificates do.
"""

import io

from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
BRAND = colors.HexColor("#0b5c73")
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#4a5866")


def _lines(text: str, size: float, width: float, max_lines: int) -> list[str]:
    """Break by width, character by character (Chinese has no spaces); an overlong text ends in an ellipsis."""
    lines, line = [], ""
    for char in " ".join(text.split()):
        if pdfmetrics.stringWidth(line + char, FONT, size) <= width:
            line += char
            continue
        if len(lines) + 1 == max_lines:
            return [*lines, line[:-1] + "…"]
        lines.append(line)
        line = char.strip()
    return [*lines, line] if line else lines


def poster_text(page) -> tuple[str, str]:
    """(title, the line under it): an event's date and venue, a programme's summary."""
    from .models import EventPage

    title = page.seo_title or page.title
    if isinstance(page, EventPage):
        when = timezone.localtime(page.starts_at).strftime("%Y-%m-%d %H:%M")
        return title, " · ".join(part for part in (when, page.venue) if part)
    return title, getattr(page, "search_description", "") or getattr(page, "summary", "") or ""


def page_poster_pdf(page) -> bytes:
    """One A4 page: the title, the line under it, a large QR code of the page's public address and that address."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    url = page.full_url
    title, subtitle = poster_text(page)
    width, height = A4
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    pdf.setFillColor(BRAND)
    pdf.rect(0, height - 28 * mm, width, 28 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont(FONT, 20)
    pdf.drawString(20 * mm, height - 18 * mm, "影子 Yingzi · 沪苏浙皖联合培养")
    pdf.setFillColor(INK)
    y = height - 55 * mm
    for line in _lines(title, 30, width - 40 * mm, 3):
        pdf.setFont(FONT, 30)
        pdf.drawString(20 * mm, y, line)
        y -= 14 * mm
    pdf.setFillColor(MUTED)
    for line in _lines(subtitle, 15, width - 40 * mm, 3):
        pdf.setFont(FONT, 15)
        pdf.drawString(20 * mm, y, line)
        y -= 8 * mm
    side = 110 * mm
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, (width - side) / 2, 55 * mm)
    pdf.setFillColor(INK)
    pdf.setFont(FONT, 18)
    pdf.drawCentredString(width / 2, 45 * mm, "微信扫码，查看详情并报名 · Scan for details")
    pdf.setFillColor(MUTED)
    pdf.setFont(FONT, 10)
    pdf.drawCentredString(width / 2, 36 * mm, url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
