"""Share cards: the picture WeChat and other apps show beside a shared link (og:image).

A 1200 x 630 PNG with the brand mark, the title (wrapped, at most three lines) and one line
under it, drawn with Pillow in Noto Sans CJK. Programme, event and certificate pages have their
own; every other page uses the site's default card (static/img/share-card.png).
"""

import io
from functools import lru_cache
from pathlib import Path

WIDTH, HEIGHT = 1200, 630
BRAND, INK, MUTED, PAPER, WASH = "#0b5c73", "#1d2733", "#4a5866", "#ffffff", "#f4f6f8"
FONT_DIRS = [Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto")]
MAX_TITLE = 120


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            # Index 2 of the collection is Simplified Chinese (SC).
            return ImageFont.truetype(str(folder / name), size, index=2)
    return ImageFont.load_default(size)


def _wrap(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    """Break on any character (Chinese has no spaces); a text longer than the lines ends in an ellipsis."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) <= width:
            line += char
            continue
        if len(lines) + 1 == max_lines:
            while line and draw.textlength(line + "…", font=font) > width:
                line = line[:-1]
            return [*lines, line + "…"]
        lines.append(line.rstrip())
        line = char.lstrip()
    return [*lines, line] if line else lines


def render_share_card(*, title: str, subtitle: str = "", site_name: str = "影子 Yingzi") -> bytes:
    """The card as PNG bytes; an empty title falls back to the site's name."""
    from PIL import Image, ImageDraw

    title = " ".join((title or "").split())[:MAX_TITLE] or site_name
    subtitle = " ".join((subtitle or "").split())[:MAX_TITLE]
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 18), fill=BRAND)
    draw.rectangle((0, HEIGHT - 110, WIDTH, HEIGHT), fill=WASH)
    draw.rounded_rectangle((80, 80, 180, 180), radius=16, fill=BRAND)
    draw.text((130, 130), "影", font=_font(64, bold=True), fill=PAPER, anchor="mm")
    draw.text((210, 130), site_name, font=_font(40, bold=True), fill=BRAND, anchor="lm")
    y = 230
    for line in _wrap(draw, title, _font(64, bold=True), WIDTH - 160, 3):
        draw.text((80, y), line, font=_font(64, bold=True), fill=INK)
        y += 84
    if subtitle:
        line = _wrap(draw, subtitle, _font(36), WIDTH - 160, 1)[0]
        draw.text((80, HEIGHT - 55), line, font=_font(36), fill=MUTED, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
