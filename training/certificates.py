"""The certificate as a PDF, in Chinese and English, with its verification code and QR code.

reportlab's built-in CID font STSong-Light draws Chinese without a font file,
so the PDF renders the same on every machine.
"""

import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from .models import Certificate

FONT = "STSong-Light"
LATIN = "Helvetica"
BRAND = colors.HexColor("#0b5c73")
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#4a5866")


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def verification_url(certificate: Certificate) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("training:certificate-verify", kwargs={"code": certificate.code})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _regions(regions: list[dict], key: str) -> str:
    separator = "、" if key == "name" else ", "
    return separator.join(region.get(key) or region.get("name", "") for region in regions) or "—"


def _hours(value) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _statement(certificate: Certificate) -> tuple[str, str, str, str]:
    """What the certificate attests, in Chinese and in English: a trainee's completion or a mentor's hosting."""
    programme_en = certificate.programme_title_en or certificate.programme_title
    cohort_en = certificate.cohort_name_en or certificate.cohort_name
    period = f"于 {certificate.starts_on:%Y年%m月%d日} 至 {certificate.ends_on:%Y年%m月%d日} "
    period_en = f"from {certificate.starts_on:%d %B %Y} to {certificate.ends_on:%d %B %Y}"
    hours = _hours(certificate.hours)
    if certificate.is_hosting:
        return (
            f"{period}在“{certificate.programme_title}”（{certificate.cohort_name}）中担任跟岗导师，",
            f"指导学员 {certificate.trainees_supported} 名，经学员确认带教 {certificate.sessions_confirmed} 次、"
            f"共 {hours} 学时。特发此证。",
            f"hosted {certificate.trainees_supported} trainees in {programme_en} ({cohort_en}) {period_en},",
            f"with {certificate.sessions_confirmed} mentoring sessions and {hours} hours confirmed by the trainees.",
        )
    return (
        f"{period}参加“{certificate.programme_title}”（{certificate.cohort_name}），",
        f"完成全部研修要求，累计获得学时 {hours} 学时，准予结业。",
        f"took part in {programme_en} ({cohort_en}) {period_en},",
        f"met every requirement and was credited with {hours} training hours.",
    )


def certificate_pdf(certificate: Certificate, *, compress: bool = True) -> bytes:
    """The certificate on one landscape A4 page."""
    _register_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1 if compress else 0)
    pdf.setTitle(f"{certificate.holder_name} · {certificate.programme_title}")
    pdf.setAuthor("Yingzi 影子")
    pdf.setSubject(certificate.code)

    pdf.setStrokeColor(BRAND)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    centre = width / 2
    pdf.setFillColor(BRAND)
    pdf.setFont(FONT, 30)
    pdf.drawCentredString(centre, height - 42 * mm, "带教证书" if certificate.is_hosting else "结业证书")
    pdf.setFont(LATIN, 16)
    pdf.drawCentredString(
        centre, height - 51 * mm, "Certificate of Hosting" if certificate.is_hosting else "Certificate of Completion"
    )

    pdf.setFillColor(INK)
    pdf.setFont(FONT, 24)
    pdf.drawCentredString(centre, height - 70 * mm, certificate.holder_name)

    issued = timezone.localtime(certificate.issued_at).date()
    chinese, chinese_2, english, english_2 = _statement(certificate)
    pdf.setFont(FONT, 13)
    pdf.drawCentredString(centre, height - 84 * mm, chinese)
    pdf.drawCentredString(centre, height - 92 * mm, chinese_2)

    pdf.setFont(LATIN, 11)
    pdf.setFillColor(MUTED)
    pdf.drawCentredString(centre, height - 102 * mm, english)
    pdf.drawCentredString(centre, height - 108 * mm, english_2)

    left = 30 * mm
    rows = [
        (
            "所在地区 Home region" if certificate.is_hosting else "派出地区 Home region",
            f"{certificate.home_region or '—'} {certificate.home_region_en}".strip(),
        ),
        (
            "学员来自 Trainees from" if certificate.is_hosting else "跟岗地区 Host regions",
            f"{_regions(certificate.host_regions, 'name')}  {_regions(certificate.host_regions, 'name_en')}",
        ),
        (
            "联合颁发 Issued jointly by",
            f"{_regions(certificate.issuing_regions, 'name')}  {_regions(certificate.issuing_regions, 'name_en')}",
        ),
        ("颁发日期 Date of issue", f"{issued:%Y-%m-%d}"),
        ("验证码 Verification code", certificate.code),
    ]
    y = height - 126 * mm
    for label, value in rows:
        pdf.setFillColor(MUTED)
        pdf.setFont(FONT, 10)
        pdf.drawString(left, y, label)
        pdf.setFillColor(INK)
        pdf.setFont(FONT, 11)
        pdf.drawString(left + 55 * mm, y, value)
        y -= 8 * mm

    url = verification_url(certificate)
    widget = QrCodeWidget(url)
    bounds = widget.getBounds()
    size = 38 * mm
    drawing = Drawing(
        size, size, transform=[size / (bounds[2] - bounds[0]), 0, 0, size / (bounds[3] - bounds[1]), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, width - 30 * mm - size, 30 * mm)
    pdf.setFont(FONT, 8)
    pdf.setFillColor(MUTED)
    pdf.drawCentredString(width - 30 * mm - size / 2, 26 * mm, "扫码验证 Scan to verify")
    pdf.drawString(left, 24 * mm, url)

    if certificate.revoked_at:
        pdf.saveState()
        pdf.setFillColor(colors.HexColor("#a3211d"))
        pdf.setFont(FONT, 40)
        pdf.translate(centre, height / 2)
        pdf.rotate(20)
        pdf.drawCentredString(0, 0, "已撤销 REVOKED")
        pdf.restoreState()

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
