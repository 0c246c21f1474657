"""Press releases as plain text: HTML and Markdown reduced to their main text, split into sentences.

Offsets matter here: every extracted fact points back at the characters of
:attr:`Document.text` it came from, so a reviewer can find the evidence.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from clusterkg.model.date_forms import month_number
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import InputError, Location, Problem

SUFFIXES = (".txt", ".text", ".html", ".htm", ".md", ".markdown")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Document:
    """One press release: its main text, title, publication date and sentences."""

    name: str
    text: str
    title: str | None = None
    published: PartialDate | None = None
    sentences: list[Sentence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what reading it had to work around (encoding, size)


# --- HTML --------------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg",
         "iframe", "template", "select", "figure", "menu"}
_BLOCK = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th",
          "table", "section", "article", "main", "blockquote", "pre", "dd", "dt", "figcaption", "hr"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
# class / id words of page furniture; matched as whole words so "menu" does not drop "menus-of-care"
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(nav|navbar|menu|footer|sidebar|cookie|cookies|share|social|related|comments?|breadcrumbs?|"
    r"banner|advert|ads|subscribe|newsletter|more-news|pagetop)(?:$|[\s_-])", re.I
)


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.main_parts: list[str] | None = None
        self.skip_depth = 0
        self.stack: list[tuple[str, bool, bool]] = []  # tag, skipping, main
        self.in_title = False
        self.title = ""
        self.h1 = ""
        self.in_h1 = False
        self.meta_published: str | None = None
        self.time_published: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "meta":
            prop = (attributes.get("property") or attributes.get("name") or "").lower()
            if prop in {"article:published_time", "date", "dc.date", "dcterms.date", "pubdate", "publish-date"}:
                self.meta_published = self.meta_published or attributes.get("content")
            return
        if tag == "time" and attributes.get("datetime"):
            self.time_published = self.time_published or attributes["datetime"]
        if tag in _VOID:
            if tag == "br":
                self._add("\n")
            return
        furniture = bool(_FURNITURE.search(f"{attributes.get('class', '')} {attributes.get('id', '')}"))
        skipping = tag in _SKIP or furniture or attributes.get("role") in {"navigation", "banner", "contentinfo"}
        is_main = tag in {"article", "main"} or attributes.get("role") == "main"
        self.stack.append((tag, skipping, is_main))
        if skipping:
            self.skip_depth += 1
        if is_main and self.main_parts is None and not self.skip_depth:
            self.main_parts = []
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.in_h1 = True
        if tag in _BLOCK:
            self._add("\n\n" if tag not in {"td", "th", "br"} else " ")
        if tag == "li":
            self._add("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # tolerate unclosed tags: pop to the matching open one
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _, skipping, _ in self.stack[i:]:
                    if skipping:
                        self.skip_depth -= 1
                del self.stack[i:]
                break
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
        if tag in _BLOCK:
            self._add("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1 += data
        self._add(data)

    def _add(self, text: str) -> None:
        if self.skip_depth:
            return
        self.parts.append(text)
        if self.main_parts is not None and any(main for _, _, main in self.stack):
            self.main_parts.append(text)


def html_to_text(source: str) -> tuple[str, str | None, str | None]:
    """Main text, title and published date (as written) of an HTML page.

    Scripts, styles, navigation, headers, footers, sidebars and share bars are
    dropped; when the page marks its main content (``<article>``, ``<main>``),
    only that is kept.

    Examples
    --------
    >>> html_to_text("<nav>Home</nav><article><h1>A &amp; B</h1><p>Signed.</p></article>")[0]
    'A & B\\n\\nSigned.'
    """
    parser = _MainText()
    parser.feed(source)
    parser.close()
    parts = parser.main_parts if parser.main_parts else parser.parts
    text = _tidy("".join(parts))
    title = " ".join((parser.h1 or parser.title).split()) or None
    return text, title, parser.meta_published or parser.time_published


# --- Markdown ------------------------------------------------------------------

_MD_RULES = [
    (re.compile(r"```.*?```", re.S), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),
    (re.compile(r"^\s*[-*+]\s+", re.M), "• "),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"^\s*([-*_]\s*){3,}$", re.M), ""),
]


def markdown_to_text(source: str) -> tuple[str, str | None]:
    """Plain text and title (the first heading) of a Markdown document."""
    heading = re.search(r"^\s{0,3}#\s+(.+)$", source, re.M)
    text = source
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return _tidy(text), heading.group(1).strip() if heading else None


def _tidy(text: str) -> str:
    text = html.unescape(text).replace("\r\n", "\n").replace("\xa0", " ")
    text = re.sub(r"[ \t\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- sentences -------------------------------------------------------------------

_ABBREVIATIONS = {
    "co", "corp", "inc", "ltd", "dr", "mr", "mrs", "ms", "prof", "st", "no", "vs", "etc", "e.g", "i.e",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "pref", "dept",
    "univ", "u.s", "u.s.a", "u.k", "assn", "approx", "inst", "jr", "sr", "gov", "hon", "rep", "fig",
}
# a full stop with no space after it also ends a sentence between two words ("in Flanders.Ambassador of"),
# as scraped pages glue paragraphs; not inside "U.S.A." or "Co.Ltd" (a capital or a short word before it)
_BOUNDARY = re.compile(r"[.!?。！？]+[\"'”’)]*(?=\s+|$)|(?<=[a-z]{3})\.(?=[A-Z][a-z]{2,})")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets: lines and bullets are boundaries, and so is a
    full stop, unless it ends a known abbreviation or an initial.

    Examples
    --------
    >>> [s.text for s in split_sentences("Kyoto Research Park Corp. signed. Then Dr. Ito spoke.")]
    ['Kyoto Research Park Corp. signed.', 'Then Dr. Ito spoke.']
    """
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        body = line.group()
        cut = 0
        for match in _BOUNDARY.finditer(body):
            end = match.end()
            word = re.search(r"([\w.]+)\.?$", body[cut: match.start() + 1].rstrip(".").rstrip())
            token = (word.group(1) if word else "").lower().rstrip(".")
            following = body[end:].lstrip()
            if match.group().startswith(".") and len(match.group().rstrip("\"'”’)")) == 1:
                if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                    continue
                if following[:1].islower() or following[:1] in {"&", ","}:
                    continue  # "Portville, Ore. & New Haven": an abbreviation inside a list of places
            _add_sentence(sentences, text, start + cut, start + end)
            cut = end
        _add_sentence(sentences, text, start + cut, start + len(body))
    return sentences


def _add_sentence(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start] in " \t•·-–*":
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, text[start:end]))


# --- dates of publication --------------------------------------------------------

MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_PUBLISHED_LINE = [
    re.compile(rf"\b(?P<m>{MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{MONTH})\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mm>\d\d)-(?P<d>\d\d)\b"),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)年(?P<mm>\d{1,2})月(?P<d>\d{1,2})日"),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)/(?P<mm>\d{1,2})/(?P<d>\d{1,2})\b"),
]
# what may stand before the date at the start of a long first line: "date", a dateline place, a weekday
_LEAD = re.compile(r"(?:date|published|posted|released|updated)?[:\s]*(?:[A-Z][\w.'’()]*(?:[ ,/]+[A-Z(][\w.'’()]*){0,5})?"
                   r"\s*(?:--\([A-Z ]+\)--|[–—,:|-]{0,2})\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s*)?", re.I)


# a page date of month precision: "date 2018-12" at the start, or "August 2017" alone on a line
_PAGE_MONTH = [
    re.compile(r"^\s*date\s+(?P<y>(?:19|20)\d\d)-(?P<mm>\d\d)(?!-\d)\b"),
    re.compile(rf"^\s*(?P<m>{MONTH})\s+(?P<y>(?:19|20)\d\d)\s*$"),
]
# day/month/year or month/day/year, only where the order is certain (a number above 12)
_NUMERIC = re.compile(r"(?<![\d/])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>(?:19|20)\d\d)\b")


def _numeric_date(line: str) -> PartialDate | None:
    match = _NUMERIC.search(line[:60])
    if match is None or len(line) > 60:
        return None
    a, b = int(match.group("a")), int(match.group("b"))
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    else:
        return None  # 03/04/2023: the order is not known
    try:
        return PartialDate.parse(f"{int(match.group('y')):04d}-{month:02d}-{day:02d}")
    except ValueError:
        return None


def find_published(text: str, lines: int = 12) -> PartialDate | None:
    """A full date standing on one of the first lines, as news pages print their date; else a
    month ("date 2018-12", a line "August 2017")."""
    month_only = None
    for line in text.splitlines()[:lines]:
        for pattern in _PAGE_MONTH:
            match = pattern.search(line)
            if match and month_only is None:
                month = int(match.group("mm")) if "mm" in match.groupdict() else month_number(match.group("m"))
                if 1 <= month <= 12:
                    month_only = PartialDate(int(match.group("y")), month)
        numeric = _numeric_date(line)
        if numeric is not None:
            return numeric
        for pattern in _PUBLISHED_LINE:
            match = pattern.search(line[:100])
            if match and len(line) > 60 and not _LEAD.fullmatch(line[: match.start()]):
                continue  # a date inside a long sentence is not the page's date
            if match:
                month = int(match.group("mm")) if "mm" in match.groupdict() else month_number(match.group("m"))
                try:
                    return PartialDate.parse(f"{int(match.group('y')):04d}-{month:02d}-{int(match.group('d')):02d}")
                except ValueError:
                    continue
    return month_only


# --- reading ---------------------------------------------------------------------

#: more than this many bytes of a file are not read (a press release is a few kilobytes)
MAX_BYTES = 2_000_000
_MAGIC = [(b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
          (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"\xd0\xcf\x11\xe0", "an old Word/Excel file"), (b"\x1f\x8b", "a gzip archive"), (b"\x7fELF", "a program")]


def read_document(path: Path, published: PartialDate | None = None) -> Document:
    """Read one text, HTML or Markdown file.

    Raises InputError naming the file when it cannot be read as text: not a file, unreadable,
    empty, or binary (a PDF, an image, an archive: convert it to text or HTML first). A text that
    is not UTF-8 is read as Windows-1252 (Latin-1) and a file over :data:`MAX_BYTES` only up to
    that size; both say so in :attr:`Document.warnings`.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(Location(str(path)), "cannot read: not a file")])
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError([Problem(Location(str(path)), f"cannot read: {error.strerror or error}")]) from None
    warnings = []
    if len(data) > MAX_BYTES:
        size = path.stat().st_size
        data = data[:MAX_BYTES]
        warnings.append(f"{path}: very large ({size:,} bytes): only the first {MAX_BYTES:,} bytes were read")
    kind = next((what for magic, what in _MAGIC if data.startswith(magic)), None)
    if kind is None and b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        kind = "a binary file"
    if kind is not None:
        raise InputError([Problem(Location(str(path)), f"not text: {kind}; convert it to text, HTML or Markdown first")])
    raw = _decode(data, path, warnings)
    if not raw.strip():
        raise InputError([Problem(Location(str(path)), "empty file: nothing to read")])
    document = parse_document(raw, path.name, path.suffix.lower(), published)
    if not document.text.strip():
        raise InputError([Problem(Location(str(path)), "no text in it (only markup, scripts or navigation)")])
    document.warnings = warnings
    return document


def _decode(data: bytes, path: Path, warnings: list[str]) -> str:
    """UTF-8 (with or without a BOM; UTF-16 with a BOM), else Windows-1252 with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if len(data) - error.start <= 3 and len(data) >= MAX_BYTES:
            return data[: error.start].decode("utf-8-sig")  # cut inside a character at the size limit
        line = data.count(b"\n", 0, error.start) + 1
        warnings.append(f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x}); read as Windows-1252 (Latin-1)")
        return data.decode("cp1252", errors="replace")


def parse_document(raw: str, name: str, suffix: str = ".txt", published: PartialDate | None = None) -> Document:
    """A :class:`Document` from the text of a file; ``suffix`` says how to read it."""
    title = None
    stated = None
    if suffix in {".html", ".htm"} or (suffix not in {".md", ".markdown"} and re.match(r"\s*<(!doctype|html)", raw, re.I)):
        text, title, stated = html_to_text(raw)
    elif suffix in {".md", ".markdown"}:
        text, title = markdown_to_text(raw)
    else:
        text = _tidy(raw)
    if title is None:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # the first line that reads like a headline, not a menu entry
        first = next((line for line in lines if len(line.split()) >= 4), lines[0] if lines else "")
        title = first[:200] or None
    if published is None and stated:
        try:
            published = PartialDate.parse(stated[:10])
        except ValueError:
            published = None
    if published is None:
        published = find_published(text)
    return Document(name=name, text=text, title=title, published=published, sentences=split_sentences(text))
