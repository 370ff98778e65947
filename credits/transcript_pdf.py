"""The credit transcript as a PDF in Chinese and English, with a QR code to its public check.

Drawn with reportlab's built-in CID font STSong-Light (no font file), like the
certificates; a long history runs onto further pages with the header repeated.
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

from .models import CreditCategory, CreditKind, RecognitionStatus

FONT = "STSong-Light"
BRAND = colors.HexColor("#0b5c73")
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#4a5866")

KIND_ZH = {
    CreditKind.PROGRAMME: "研修项目结业",
    CreditKind.HOSTING: "跟岗带教",
    CreditKind.EVENT: "论坛峰会",
    CreditKind.STUDIO: "名师工作室",
    CreditKind.CONTEST: "基本功大赛",
}
KIND_EN = {
    CreditKind.PROGRAMME: "Programme",
    CreditKind.HOSTING: "Hosting",
    CreditKind.EVENT: "Forum",
    CreditKind.STUDIO: "Studio",
    CreditKind.CONTEST: "Contest",
}
CATEGORY_ZH = {
    CreditCategory.TRAINING: "研修培训",
    CreditCategory.EXCHANGE: "交流研讨",
    CreditCategory.RESEARCH: "教研活动",
    CreditCategory.COMPETITION: "竞赛评比",
}
STATUS_ZH = {
    RecognitionStatus.ISSUED: "颁发",
    RecognitionStatus.PENDING: "待认定",
    RecognitionStatus.RECOGNISED: "已认定",
    RecognitionStatus.REFUSED: "不予认定",
}
STATUS_EN = {
    RecognitionStatus.ISSUED: "issued",
    RecognitionStatus.PENDING: "pending",
    RecognitionStatus.RECOGNISED: "recognised",
    RecognitionStatus.REFUSED: "refused",
}


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _number(value) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def transcript_pdf(transcript, *, verify_url: str = "", compress: bool = True) -> bytes:
    """Every record, credits by year and category, totals per region and the public check."""
    _register_font()
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1 if compress else 0)
    person = transcript.person
    home = transcript.home_region
    pdf.setTitle(f"{person.get_full_name()} · 学分证明 Credit transcript")
    pdf.setAuthor("Yingzi 影子")
    left, right = 16 * mm, width - 16 * mm
    state = {"y": 0.0, "page": 0}

    def new_page():
        if state["page"]:
            pdf.showPage()
        state["page"] += 1
        pdf.setFillColor(BRAND)
        pdf.setFont(FONT, 18)
        pdf.drawString(left, height - 20 * mm, "学分证明  Credit transcript")
        pdf.setFont(FONT, 9)
        pdf.setFillColor(MUTED)
        pdf.drawRightString(right, height - 20 * mm, f"{state['page']}")
        pdf.setFillColor(INK)
        pdf.setFont(FONT, 11)
        home_text = f"{home.name} {home.name_en}" if home else "—"
        pdf.drawString(
            left, height - 28 * mm, f"姓名 Name：{person.get_full_name()}    派出地区 Home region：{home_text}"
        )
        pdf.setFont(FONT, 8)
        pdf.setFillColor(MUTED)
        pdf.drawString(
            left,
            height - 33 * mm,
            f"出具日期 Issued on {timezone.localdate():%Y-%m-%d} · 长三角学分互认 Yangtze River Delta credit mutual recognition",
        )
        state["y"] = height - 42 * mm

    def need(space):
        if state["y"] - space < 24 * mm:
            new_page()

    def heading(zh, en):
        need(14 * mm)
        pdf.setFillColor(BRAND)
        pdf.setFont(FONT, 12)
        pdf.drawString(left, state["y"], f"{zh}  {en}")
        state["y"] -= 7 * mm

    def row(cells, xs, size=8.5, color=INK):
        need(6 * mm)
        pdf.setFillColor(color)
        pdf.setFont(FONT, size)
        for text, (x, align) in zip(cells, xs, strict=True):
            if align == "r":
                pdf.drawRightString(x, state["y"], text)
            else:
                pdf.drawString(x, state["y"], text)
        state["y"] -= 5 * mm

    new_page()
    heading("按年度与类别统计（派出地区认定）", "Credits by year and category (home region)")
    columns = [(left, "l")] + [(left + 40 * mm + index * 28 * mm, "r") for index in range(len(CATEGORY_ZH) + 1)]
    row(
        ["年度 Year", *[CATEGORY_ZH[value] for value, _ in transcript.categories], "合计 Total"],
        columns,
        color=MUTED,
    )
    for line in transcript.by_year:
        row([str(line["year"]), *[_number(cell) for cell in line["cells"]], _number(line["total"])], columns)
    if not transcript.by_year:
        row(["—"] + [""] * (len(columns) - 1), columns)
    state["y"] -= 3 * mm
    heading("各地区认定学分", "Credits counted in each region")
    for total in transcript.region_totals:
        row(
            [f"{total['region'].name} {total['region'].name_en}", _number(total["credits"])],
            [(left, "l"), (left + 68 * mm, "r")],
        )
    state["y"] -= 3 * mm
    heading("学分记录", "Credit records")
    xs = [(left, "l"), (left + 20 * mm, "l"), (left + 100 * mm, "r"), (left + 114 * mm, "r"), (left + 118 * mm, "l")]
    row(["日期 Date", "活动 Activity", "学时 h", "学分 cr", "颁发 · 认定 Issued by · recognised in"], xs, color=MUTED)
    for record in transcript.records:
        decisions = " ".join(
            f"{region.name}{STATUS_ZH[record.by_region[region.pk].status]}"
            for region in transcript.regions
            if region.pk in record.by_region and region.pk != record.issuing_region_id
        )
        title = record.title if not record.is_correction else f"更正：{record.title}"
        row(
            [
                f"{record.occurred_on:%Y-%m-%d}",
                _clip(f"{KIND_ZH[record.kind]} · {title}", 40),
                _number(record.hours),
                _number(record.credits),
                _clip(f"{record.issuing_region.name}颁发 {decisions}", 26),
            ],
            xs,
        )
        english = record.title_en or record.title
        statuses = ", ".join(
            f"{region.name_en or region.name} {STATUS_EN[record.by_region[region.pk].status]}"
            for region in transcript.regions
            if region.pk in record.by_region and region.pk != record.issuing_region_id
        )
        row(
            [
                "",
                _clip(f"{KIND_EN[record.kind]} · {english}", 56),
                "",
                "",
                _clip(f"by {record.issuing_region.name_en or record.issuing_region.name}; {statuses}", 34),
            ],
            xs,
            size=7,
            color=MUTED,
        )
    state["y"] -= 2 * mm
    row(
        [
            "合计 Total",
            f"{len(transcript.records)} 条记录 records",
            _number(transcript.hours_total),
            _number(transcript.credits_total),
            "认定学分 counted by the home region",
        ],
        xs,
    )

    need(48 * mm)
    if verify_url:
        widget = QrCodeWidget(verify_url)
        bounds = widget.getBounds()
        size = 30 * mm
        drawing = Drawing(
            size, size, transform=[size / (bounds[2] - bounds[0]), 0, 0, size / (bounds[3] - bounds[1]), 0, 0]
        )
        drawing.add(widget)
        renderPDF.draw(drawing, pdf, right - size, state["y"] - size)
        pdf.setFont(FONT, 8)
        pdf.setFillColor(MUTED)
        pdf.drawString(left, state["y"] - 8 * mm, "扫码在线验证 Scan to verify online:")
        pdf.drawString(left, state["y"] - 13 * mm, verify_url)
    else:
        pdf.setFont(FONT, 8)
        pdf.setFillColor(MUTED)
        pdf.drawString(
            left, state["y"] - 8 * mm, "本人已关闭在线验证。Online verification is turned off by the holder."
        )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
