"""Charts drawn on the server as SVG geometry: no JavaScript library, nothing for the CSP to refuse.

Functions return plain numbers; templates draw them with <rect>, <path> and
<text>, each chart followed by a data table for screen readers.
"""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 240
MARGIN_LEFT = 40
MARGIN_BOTTOM = 36
MARGIN_TOP = 16


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    flagged: int
    flagged_y: float
    flagged_height: float
    label: str
    label_x: float


def progress_histogram(buckets: list[int], flagged: list[int], *, expected_percent: int) -> dict:
    """Trainees by overall progress in steps of ten percent (`buckets`, of which `flagged` are at risk),
    with the expected pace."""
    plot_width = WIDTH - MARGIN_LEFT - 8
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    highest = max(buckets) or 1
    slot = plot_width / 10
    bars = []
    for index, count in enumerate(buckets):
        height = plot_height * count / highest
        part = plot_height * flagged[index] / highest
        x = MARGIN_LEFT + index * slot + 4
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(MARGIN_TOP + plot_height - height, 1),
                width=round(slot - 8, 1),
                height=round(height, 1),
                count=count,
                flagged=flagged[index],
                flagged_y=round(MARGIN_TOP + plot_height - part, 1),
                flagged_height=round(part, 1),
                label=f"{index * 10}–{index * 10 + 9 if index < 9 else 100}%",
                label_x=round(x + (slot - 8) / 2, 1),
            )
        )
    ticks = [{"x": round(MARGIN_LEFT + index * slot, 1), "label": index * 10} for index in range(11)]
    expected_x = MARGIN_LEFT + plot_width * min(max(expected_percent, 0), 100) / 100
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "ticks": ticks,
        "baseline": MARGIN_TOP + plot_height,
        "left": MARGIN_LEFT,
        "right": WIDTH - 8,
        "top": MARGIN_TOP,
        "highest": highest,
        "expected_x": round(expected_x, 1),
        "expected_percent": expected_percent,
        "label_y": HEIGHT - 14,
        "total": sum(buckets),
        "flagged_total": sum(flagged),
    }


def pairing_flows_chart(flows: list[dict]) -> dict:
    """Home regions on the left, host regions on the right, a band for each flow as thick as its pairings."""
    if not flows:
        return {}
    left = sorted({flow["from"] for flow in flows if flow["from"]}, key=lambda region: region.sort_order)
    right = sorted({flow["to"] for flow in flows if flow["to"]}, key=lambda region: region.sort_order)
    height = max(len(left), len(right), 2) * 56 + 24
    x_left, x_right = 150, WIDTH - 150

    def positions(regions):
        step = (height - 24) / max(len(regions), 1)
        return {region.pk: round(12 + step * index + step / 2, 1) for index, region in enumerate(regions)}

    y_left, y_right = positions(left), positions(right)
    highest = max(flow["count"] for flow in flows)
    links = []
    for flow in flows:
        if not flow["from"] or not flow["to"]:
            continue
        y1, y2 = y_left[flow["from"].pk], y_right[flow["to"].pk]
        middle = (x_left + x_right) / 2
        links.append(
            {
                "d": f"M{x_left + 6},{y1} C{middle},{y1} {middle},{y2} {x_right - 6},{y2}",
                "width": round(2 + 22 * flow["count"] / highest, 1),
                "count": flow["count"],
                "cross": flow["from"].pk != flow["to"].pk,
                "from": flow["from"],
                "to": flow["to"],
            }
        )
    return {
        "width": WIDTH,
        "height": height,
        "x_left": x_left,
        "x_right": x_right,
        "left": [{"region": region, "y": y_left[region.pk]} for region in left],
        "right": [{"region": region, "y": y_right[region.pk]} for region in right],
        "links": links,
        "flows": flows,
    }
