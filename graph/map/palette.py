"""How the country colours in ``assets/colours.json`` were chosen, and the colour difference they are
checked with (CIEDE2000).

A country keeps its colour in every map, so the table is fixed by ISO code. A map of this field
shows 20 to 30 countries, more than any palette keeps apart, so only the countries seen most often
get a colour of their own (:data:`FIELD_ORDER`, most frequent first) and every other country shares
the neutral ``other`` grey (the legend and the tooltip name it). The colours come from palettes
made to survive colour-vision deficiency (Okabe-Ito; Paul Tol's bright, vibrant, muted and light),
picked greedily: each country in turn takes the candidate farthest (CIEDE2000) from every colour
already taken, from the neutral grey and from the white page, counting the smallest difference
under normal vision and (counted double) under simulated protanopia and deuteranopia (Machado et
al. 2009). So the most frequent countries get the most distinct colours; Japan keeps the vermillion
it had. The ten most frequent are at least dE00 14.9 apart (9.4 under deuteranopia), all sixteen 11.

    .venv/bin/python -m clusterkg.graph.map.palette          # prints the table and its distances
    .venv/bin/python -m clusterkg.graph.map.palette --write  # rewrites the countries of colours.json

References: Sharma, Wu and Dalal (2005), The CIEDE2000 color-difference formula; Machado, Oliveira
and Fernandes (2009), A physiologically-based model for simulation of color vision deficiency.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

__all__ = ["FIELD_ORDER", "ciede2000", "hex_to_lab", "pick"]

#: Countries by how often they take part in life-science cluster agreements: data/ (organisations
#: with an agreement, November 2025: JP 23, US 22, GB 13, KR 10, AU 8, NL 7, then IN DE CN SE 6,
#: CA BE 5, SG TW 3, ES RU IT FR NO 2), then other countries active in the field.
FIELD_ORDER = ["JP", "US", "GB", "KR", "AU", "NL", "DE", "IN", "CN", "SE", "CA", "BE", "SG", "TW", "FR", "CH"]
#: Candidates: colour-blind-safe palettes (Okabe-Ito; Tol bright, vibrant, muted, light), then
#: ColorBrewer's Dark2 and Set1 and Tableau 10 for more hues.
CANDIDATES = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
    "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377",
    "#EE7733", "#0077BB", "#33BBEE", "#EE3377", "#CC3311", "#009988",
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499",
    "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00",
    "#1B9E77", "#D95F02", "#7570B3", "#E7298A", "#66A61E", "#E6AB02", "#A6761D",
    "#E41A1C", "#377EB8", "#4DAF4A", "#984EA3", "#FF7F00", "#A65628", "#F781BF",
    "#8C564B", "#17BECF", "#BCBD22", "#9467BD",
]
#: Under simulated colour-vision deficiency a difference counts double: a trade between the two
#: (weight 1 leaves the first ten at dE00 9.6 apart for normal vision, 2 at 14.9, 3 at 15.1 but 5.7
#: for deuteranopia).
CVD_WEIGHT = 2.0
OTHER = "#BBBBBB"
FIXED = {"JP": "#D55E00"}  # kept from the first table, so that maps made before read the same
_PROTAN = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998))
_DEUTAN = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))


def _linear(hex_colour: str) -> tuple[float, float, float]:
    values = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    return tuple(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values)


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (min(1.0, max(0.0, v)) for v in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def hex_to_lab(hex_colour: str, vision: str = "normal") -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour, as seen with ``normal`` vision, ``protan`` or ``deutan``."""
    rgb = _linear(hex_colour)
    matrix = {"protan": _PROTAN, "deutan": _DEUTAN}.get(vision)
    if matrix is not None:
        rgb = tuple(sum(m * c for m, c in zip(row, rgb)) for row in matrix)
    return _lab(rgb)


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1).

    >>> round(ciede2000((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)), 4)  # Sharma et al., pair 1
    2.0425
    """
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, c_bar_p = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * t
    r_t = (-2 * math.sqrt(c_bar_p ** 7 / (c_bar_p ** 7 + 25 ** 7))
           * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2)))))
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dhh / s_h) ** 2 + r_t * (dc / s_c) * (dhh / s_h))


def _distance(one: str, two: str) -> float:
    """The smallest CIEDE2000 difference: normal vision, and protanopia and deuteranopia (weighted)."""
    return min(ciede2000(hex_to_lab(one, v), hex_to_lab(two, v)) * (1 if v == "normal" else CVD_WEIGHT)
               for v in ("normal", "protan", "deutan"))


def pick(order: list[str] = FIELD_ORDER) -> dict[str, str]:
    """Country -> colour, greedily: each takes the candidate farthest from those already taken."""
    taken = dict(FIXED)
    avoid = [OTHER, "#FFFFFF"]
    for code in order:
        if code in taken:
            continue
        # L* 30 to 80: a dot must stand out on the white page and not read as black.
        free = [c for c in CANDIDATES if c not in taken.values() and 30 <= hex_to_lab(c)[0] <= 80]
        taken[code] = max(free, key=lambda c: (min(_distance(c, t) for t in [*taken.values(), *avoid]), c))
    return {code: taken[code] for code in order}


def main(argv: list[str]) -> int:
    table = pick()
    for i, (code, colour) in enumerate(table.items()):
        before = list(table.values())[:i]
        nearest = min((ciede2000(hex_to_lab(colour), hex_to_lab(c)), c) for c in before) if before else (0, "")
        print(f"{code} {colour}  nearest earlier {nearest[1]} dE00 {nearest[0]:.1f}")
    if "--write" in argv:
        path = Path(__file__).with_name("assets") / "colours.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["countries"] = dict(sorted(table.items()))
        data["_about"] = ("Fixed node colours of the map, by ISO 3166-1 alpha-2 code and by organisation kind: a "
                          "country keeps its colour in every map. The countries seen most often in life-science "
                          "agreements have colours of their own, chosen by clusterkg/graph/map/palette.py from "
                          "colour-blind-safe palettes to be as far apart (CIEDE2000, also under simulated "
                          "protanopia and deuteranopia) as they can; every other country is 'other'.")
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
