"""The region home's charts as SVG geometry, drawn by the template (the approach of `dashboard.charts`).

Each chart is followed by its table on the page.
"""

WIDTH = 640
HEIGHT = 240
LEFT = 40
BOTTOM = 36
TOP = 16


def yearly_bars(rows: list[dict], *, total: str, part: str) -> dict:
    """A bar per year for `total`, with its `part` drawn inside it (trainees, and those trained across provinces)."""
    rows = sorted(rows, key=lambda row: row["year"])
    if not rows:
        return {}
    plot_width = WIDTH - LEFT - 8
    plot_height = HEIGHT - BOTTOM - TOP
    highest = max(row[total] for row in rows) or 1
    slot = plot_width / len(rows)
    bars = []
    for index, row in enumerate(rows):
        height = plot_height * row[total] / highest
        inner = plot_height * row[part] / highest
        x = LEFT + index * slot + slot * 0.15
        width = slot * 0.7
        bars.append(
            {
                "x": round(x, 1),
                "width": round(width, 1),
                "y": round(TOP + plot_height - height, 1),
                "height": round(height, 1),
                "part_y": round(TOP + plot_height - inner, 1),
                "part_height": round(inner, 1),
                "label": row["year"],
                "label_x": round(x + width / 2, 1),
                "total": row[total],
                "part": row[part],
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "baseline": TOP + plot_height,
        "left": LEFT,
        "right": WIDTH - 8,
        "label_y": HEIGHT - 14,
        "highest": highest,
    }


def flow_chart(flows: list[dict], regions: dict) -> dict:
    """Home regions on the left, host regions on the right, a band per flow as thick as its pairings."""
    flows = [flow for flow in flows if flow["source"] in regions and flow["target"] in regions and flow["count"]]
    if not flows:
        return {}
    order = sorted(regions.values(), key=lambda region: region.sort_order)
    left = [region for region in order if any(flow["source"] == region.pk for flow in flows)]
    right = [region for region in order if any(flow["target"] == region.pk for flow in flows)]
    height = max(len(left), len(right), 2) * 56 + 24
    x_left, x_right = 150, WIDTH - 150

    def positions(column):
        step = (height - 24) / max(len(column), 1)
        return {region.pk: round(12 + step * index + step / 2, 1) for index, region in enumerate(column)}

    y_left, y_right = positions(left), positions(right)
    highest = max(flow["count"] for flow in flows)
    middle = (x_left + x_right) / 2
    links = []
    for flow in sorted(flows, key=lambda flow: -flow["count"]):
        y1, y2 = y_left[flow["source"]], y_right[flow["target"]]
        links.append(
            {
                "d": f"M{x_left + 6},{y1} C{middle},{y1} {middle},{y2} {x_right - 6},{y2}",
                "width": round(2 + 22 * flow["count"] / highest, 1),
                "count": flow["count"],
                "cross": flow["source"] != flow["target"],
                "from": regions[flow["source"]],
                "to": regions[flow["target"]],
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
    }
