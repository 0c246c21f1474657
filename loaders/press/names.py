"""Names in press-release text: organisations, acronyms tied to their long names, people.

Rules only, no statistical model: a name is a run of capitalised words joined by
the few lowercase words names contain ("of", "for", "de" ...). "and" joins two
runs only where it sits inside a name ("Foundation for Biomedical Research and
Innovation"), or where a known name or an acronym says so ("Cell and Gene
Therapy Catapult (CGT Catapult)"). Known organisations (the gazetteer) are
recognised by their normalised name, so any alias or spelling the resolver
accepts is found too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pycountry
from clusterkg.loaders.resolve import normalize_name
from clusterkg.model.records import Organization

# A word: letters, digits and the marks names carry (LINK-J, U.S.A., Co., O'Neill).
WORD = re.compile(r"[^\W_][\w'’.&*-]*[\w.]|[^\W_]|[&]")
_CONNECTORS = {"of", "for", "de", "du", "des", "der", "für", "di", "del", "della", "la", "le", "van", "von", "zu", "&", "und", "and", "et", "the", "y"}
_JOINS_ALWAYS = {"of", "for", "de", "du", "des", "der", "für", "di", "del", "della", "la", "le", "van", "von", "zu", "&"}
# Capitalised words that never start or end a name (headlines capitalise everything).
_STOP = {
    "the", "a", "an", "this", "that", "these", "those", "our", "its", "their", "his", "her", "today", "yesterday",
    "on", "in", "for", "through", "following", "during", "after", "before", "under", "with", "as", "by", "at",
    "from", "to", "and", "but", "so", "furthermore", "moreover", "however", "also", "we", "it", "they", "he",
    "she", "both", "each", "moving", "going", "together", "into", "about", "over", "via", "while", "when",
    "where", "which", "who", "new", "all", "some", "more", "most", "since", "until", "upon", "based", "if",
    "here", "there", "now", "then", "thus", "i", "my", "is", "are", "was", "were", "be", "has", "have", "had",
    "not", "no", "yes", "per", "among", "between", "within", "without", "across", "against", "last", "next",
    "first", "second", "third", "other", "such", "further", "finally", "said",
    "mr", "mrs", "ms", "dr", "prof", "professor", "sir", "lord", "lady", "dame", "hon", "according",
    "photo", "image", "read", "share", "click", "menu", "news", "press", "release", "contact", "email", "tel", "fax",
    "left", "right", "above", "below", "pictured", "l", "r", "pm", "am", "note", "notes",
    "q", "a", "it's", "also", "additionally", "meanwhile", "currently", "recently", "previously", "already",
}
_CALENDAR = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
AGREEMENT_WORDS = {
    "memorandum", "memoranda", "understanding", "mou", "mous", "moc", "mocs", "loi", "lois", "letter", "letters",
    "intent", "agreement", "agreements", "cooperation", "co-operation", "collaboration", "partnership",
    "mutual", "framework", "contract", "treaty", "accord",
}
_VERB_WORDS = {
    "signs", "signed", "sign", "signing", "concludes", "concluded", "conclude", "inks", "inked", "renews",
    "renewed", "extends", "extended", "announces", "announced", "agree", "agrees", "agreed", "enters", "entered",
    "launches", "launched", "forms", "formed", "strikes", "struck", "seals", "sealed", "join", "joins", "joined",
    "partners", "partner", "teams", "teamed", "unveils", "unveiled", "welcomes", "welcomed", "says", "said",
    "visits", "visited", "opens", "opened", "boost", "boosts", "strengthen", "strengthens", "deepen", "deepens",
    "expand", "expands", "promote", "promotes", "showcases", "showcase", "hosts", "hosted", "attends", "attended",
    "to", "will", "aims", "aim", "accelerate", "advance", "advances", "builds", "build", "collaborate",
    "collaborates", "cooperate", "cooperates", "makes", "make",
}
TITLE_WORDS = {
    "ceo", "cto", "cfo", "coo", "chief", "president", "vice", "director", "director-general", "governor",
    "deputy", "chair", "chairman", "chairwoman", "chairperson", "managing", "executive", "minister",
    "mayor", "head", "dean", "secretary", "founder", "co-founder", "professor", "prof", "general", "senior",
    "board", "partner", "principal", "rector", "provost", "commissioner", "ambassador", "consul", "chancellor",
    "officer", "manager", "lead", "leader", "representative", "member", "administrator", "superintendent",
    "state", "parliamentary", "undersecretary", "under-secretary", "permanent", "envoy", "trustee",
    "minister-president", "premier", "lieutenant", "acting", "interim", "assistant", "associate",
}
# The last word of most organisation names (used to split "X and Y" and to spot sub-units).
HEAD_WORDS = {
    "university", "universität", "université", "universidad", "università", "universiteit", "institute",
    "institut", "instituto", "foundation", "stiftung", "fondation", "society", "association", "agency",
    "council", "centre", "center", "zentrum", "forum", "network", "catapult", "prefecture", "city",
    "ministry", "department", "government", "corporation", "corp", "corp.", "company", "co", "co.", "inc",
    "inc.", "ltd", "ltd.", "gmbh", "ag", "plc", "alliance", "cluster", "park", "hospital", "trust", "fund",
    "consortium", "organization", "organisation", "group", "pharmaceuticals", "pharma", "therapeutics",
    "biotech", "biosciences", "authority", "board", "office", "bureau", "commission", "chamber",
    "initiative", "hub", "campus", "school", "college", "academy", "laboratory", "laboratories", "labs",
    "region", "county", "province", "municipality", "clinic", "bank", "innovation", "innovations",
    "sciences", "science", "health", "partnership", "incubator", "accelerator", "kk", "k.k.", "llc", "sa",
    "nv", "bv", "ab", "oy", "srl", "spa", "e.v.", "ev", "nord", "biomed", "medical", "industries",
}
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
# Common nouns that follow "and" inside a name ("Agency for Medical Research and Development").
_COMMON_NAME_WORDS = {
    "research", "development", "innovation", "innovations", "technology", "technologies", "science",
    "sciences", "medicine", "medicines", "health", "healthcare", "industry", "industries", "trade", "economy",
    "economic", "education", "culture", "welfare", "labour", "labor", "environment", "energy", "commerce",
    "investment", "enterprise", "enterprises", "engineering", "design", "arts", "humanities", "social",
    "policy", "planning", "biotechnology", "bioscience", "biosciences", "life", "care", "services",
    "training", "manufacturing", "agriculture", "fisheries", "forestry", "food", "transport", "tourism",
    "infrastructure", "communications", "information", "communication", "sport", "sports", "youth",
    "family", "affairs", "security", "defence", "defense", "justice", "finance", "business", "skills",
    "employment", "growth", "regeneration", "wellbeing", "well-being", "nutrition", "pharmacy",
    "pharmaceutical", "pharmaceuticals", "devices", "diagnostics", "therapeutics", "technological",
    "prevention", "control", "medical", "clinical", "translational", "public", "global", "international",
    "applied", "natural", "physical", "chemical", "biological", "materials", "mathematics", "computing",
    "data", "digital", "entrepreneurship", "venture", "ventures", "capital", "commercialisation",
    "commercialization", "transfer", "standards", "quality", "safety", "regulation", "regulatory",
    "evaluation", "assessment", "analysis", "statistics", "informatics", "genomics", "cell", "gene",
    "climate", "mines", "mining", "economics", "immigration", "affairs", "external", "policy", "resources",
    "human", "housing", "labour", "water", "land", "fishery", "veterinary", "planning", "biomedical",
    "advanced", "higher", "vocational", "scientific", "industrial", "rural", "urban", "regional", "mobility",
    "works", "trade", "investment", "export", "exports", "startups", "smes", "entrepreneurs", "universities",
}
SUBUNIT_WORDS = {"institute", "school", "faculty", "department", "centre", "center", "laboratory", "division",
                 "graduate", "college", "hospital", "unit", "office"}
DEMONYMS = {
    "japanese", "british", "german", "french", "american", "korean", "chinese", "swiss", "danish", "swedish",
    "dutch", "italian", "spanish", "canadian", "australian", "european", "uk", "us", "u.s.", "u.k.", "irish",
    "scottish", "welsh", "english", "norwegian", "finnish", "belgian", "austrian", "israeli", "indian",
    "singaporean", "taiwanese", "international", "global", "north", "south", "east", "west", "northern",
    "southern", "eastern", "western", "uk-based", "us-based", "london-based", "japan-based",
}
_COUNTRY_WORDS: set[str] = set()
for _c in pycountry.countries:
    for _attr in ("name", "common_name", "official_name"):
        _value = getattr(_c, _attr, None)
        if _value:
            _COUNTRY_WORDS.add(_value.casefold())
_COUNTRY_WORDS |= {"uk", "u.k.", "us", "u.s.", "usa", "u.s.a.", "united states", "britain", "great britain",
                   "england", "scotland", "wales", "europe", "asia", "eu", "korea", "south korea", "taiwan", "russia"}
_CJK_ORG_ENDINGS = ("県", "府", "都", "道", "市", "町", "村", "大学", "株式会社", "協会", "財団", "研究所",
                    "センター", "機構", "学会", "病院", "会社", "法人", "省", "庁")


def is_country(text: str) -> bool:
    return text.casefold().removeprefix("the ").strip() in _COUNTRY_WORDS


@dataclass(frozen=True)
class Span:
    """A name in a sentence: offsets relative to the text it was found in."""

    start: int
    end: int
    text: str


def _is_cap(word: str) -> bool:
    first = word[0]
    if first.isupper() or first.isdigit() and any(c.isupper() for c in word):
        return True
    if word.isascii():
        return False
    return _is_cjk(word) and word.endswith(_CJK_ORG_ENDINGS)


def _is_cjk(word: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in word)


def _plain(word: str) -> str:
    return word.casefold().rstrip(".")


_CAPS_FUNCTION = {"A", "I", "THE", "AND", "OF", "FOR", "IN", "ON", "AT", "TO", "BY", "WITH", "FROM", "NEW", "NEWS"}


def _stop(word: str) -> bool:
    """A word that never starts or ends a name; an acronym in capitals ("RIGHT Fund", "AS") is not one."""
    if word.isupper() and len(word) >= 2 and word not in _CAPS_FUNCTION:
        return False
    return _plain(word) in _STOP


def _is_break(word: str) -> bool:
    low = _plain(word)
    return low in _CALENDAR or low in AGREEMENT_WORDS or low in _VERB_WORDS


def capitalised_runs(text: str, breaks: Iterable[tuple[int, int]] = ()) -> list[Span]:
    """Runs of capitalised words with the joining words names contain.

    Examples
    --------
    >>> [s.text for s in capitalised_runs("the Foundation for Biomedical Research and Innovation in Kobe")]
    ['Foundation for Biomedical Research and Innovation', 'Kobe']
    >>> [s.text for s in capitalised_runs("UCSD and Biocom signed")]
    ['UCSD', 'Biocom']
    """
    blocked = sorted(breaks)
    words = [m for m in WORD.finditer(text)]
    runs: list[Span] = []
    i = 0
    while i < len(words):
        word = words[i].group()
        if not _is_cap(word) or _is_break(word) or _inside(words[i].start(), blocked) or _stop(word):
            i += 1
            continue
        first = last = i
        has_preposition = False
        j = i + 1
        while j < len(words):
            gap = text[words[j - 1].end(): words[j].start()]
            token = words[j].group()
            low = token.casefold()
            if _inside(words[j].start(), blocked):
                break
            if gap.strip() == "," and not _legal_form(token) and has_preposition and _topical(words[j - 1].group()):
                # "Agency for Science, Technology and Research": a list of topics closed by "and"
                end = _topic_list_end(text, words, j)
                if end is not None:
                    last = end
                    j = end + 1
                    continue
            if gap.strip() in {"–", "—", "-"} and _plain(words[j - 1].group()) in HEAD_WORDS and _is_cap(token) \
                    and not _is_break(token) and low not in _STOP and gap != gap.strip():
                last = j  # "Research Foundation – Flanders"
                j += 1
                continue
            if gap.strip() not in {"", ","} or (gap.strip() == "," and not _legal_form(token)):
                break
            if gap.strip() == "" and (_is_cap(token) and not _is_break(token) and (low == "the" or not _stop(token)) or _legal_form(token)):
                last = j
                j += 1
                continue
            if gap.strip() == "," and _legal_form(token):
                last = j
                j += 1
                continue
            if low in _CONNECTORS and j + 1 < len(words):
                k = j + 1
                if low in {"of", "for"} and words[k].group().casefold() == "the" and k + 1 < len(words):
                    k += 1
                nxt = words[k].group()
                between = text[words[j].end(): words[k].start()]
                if between.strip() or not _is_cap(nxt) or _is_break(nxt) or _stop(nxt):
                    break
                if low in {"and", "und", "et", "y"}:
                    # "Research and Innovation", "Health and Medical Research Council" inside a name;
                    # "Kawasaki and Yokohama", "BioSA and Health Industries" two names
                    both_topics = _topical(words[j - 1].group()) and _topical(nxt)
                    if not both_topics and (not has_preposition or not _topical(nxt) or _ends_name_after(words, k, text)):
                        break
                elif low == "the":
                    break
                if low in {"of", "for", "für", "de", "di", "del", "della", "van", "von", "zu", "des", "du", "der", "la", "le"}:
                    has_preposition = True
                last = k
                j = k + 1
                continue
            break
        runs.append(_span(text, words, first, last))
        i = last + 1
    return [run for run in (_trim(text, run) for run in runs) if run is not None]


_TOPIC_ENDINGS = ("ology", "ologies", "ics", "apy", "apies", "ment", "tion", "tions", "ence", "ences", "ance", "ity",
                  "ities", "ine", "ines", "ure", "ures")


def _topical(word: str) -> bool:
    """A common noun or adjective names are made of ("Research", "Immunology", "Welfare")."""
    plain = _plain(word)
    return plain in _COMMON_NAME_WORDS or (plain.isalpha() and len(plain) > 5 and word[1:].islower()
                                           and plain.endswith(_TOPIC_ENDINGS) and plain not in HEAD_WORDS)


def _topic_list_end(text: str, words, j: int) -> int | None:
    """From the word after a comma: the index of the last word of a list of topics
    ("Technology, Industry and Research") when one follows, else None."""
    k = j
    while k < len(words):
        if not (_is_cap(words[k].group()) and _topical(words[k].group())):
            return None
        while k + 1 < len(words) and not text[words[k].end(): words[k + 1].start()].strip() \
                and _is_cap(words[k + 1].group()) and _topical(words[k + 1].group()):
            k += 1
        if k + 2 >= len(words):
            return None
        gap = text[words[k].end(): words[k + 1].start()].strip()
        if gap == "," and words[k + 1].group().casefold() == "and" and not text[words[k + 1].end(): words[k + 2].start()].strip():
            gap, k = "and", k + 1
        elif gap == "" and words[k + 1].group().casefold() in {"and", "&"}:
            gap, k = "and", k + 1
        if gap == "and":
            k += 1
            if not (_is_cap(words[k].group()) and _topical(words[k].group())):
                return None
            while k + 1 < len(words) and not text[words[k].end(): words[k + 1].start()].strip() \
                    and _is_cap(words[k + 1].group()) and _topical(words[k + 1].group()):
                k += 1
            return k
        if gap != ",":
            return None
        k += 1
    return None


def _ends_name_after(words, k: int, text: str) -> bool:
    """After "and": does a whole name of its own follow (a run ending in a head word)?"""
    j = k
    while j + 1 < len(words) and _is_cap(words[j + 1].group()) and not text[words[j].end(): words[j + 1].start()].strip():
        j += 1
    return j > k and _plain(words[j].group()) in HEAD_WORDS


def _legal_form(word: str) -> bool:
    return _plain(word) in {"ltd", "inc", "co", "corp", "llc", "plc", "gmbh", "ag", "kk", "k.k", "sa", "nv", "bv", "e.v"}


def _inside(position: int, blocked: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in blocked)


def _span(text: str, words, first: int, last: int) -> Span:
    start, end = words[first].start(), words[last].end()
    return Span(start, end, text[start:end])


def _trim(text: str, span: Span) -> Span | None:
    """Drop what may not start or end a name: "UK-based", a full stop, "of Japan" after a head word, possessives."""
    value = span.text
    start, end = span.start, span.end
    while len(value.split()) > 1 and re.fullmatch(r"[\w.]+-based", value.split()[0]):
        cut = len(value.split()[0]) + 1
        value, start = value[cut:].lstrip(), start + cut
    if value.endswith(".") and not _legal_form(value.split()[-1]) and not re.search(r"\b[A-Z]\.$|\.\w\.$", value):
        value, end = value[:-1], end - 1
    for suffix in ("'s", "’s"):
        if value.endswith(suffix):
            value, end = value[: -len(suffix)], end - len(suffix)
    match = re.search(r"\s+of\s+(the\s+)?([^\W\d_][\w.\s-]*)$", value)
    if match and is_country(match.group(2)) and _plain(value[: match.start()].split()[-1]) in HEAD_WORDS and len(value[: match.start()].split()) >= 2:
        end -= len(value) - match.start()
        value = value[: match.start()]
    low = value.casefold()
    if low in _CALENDAR or _stop(value) or _plain(value) in DEMONYMS or low in _NUMBER_WORDS:
        return None
    if value.split()[0].casefold() in TITLE_WORDS and len(value.split()) <= 3 and not _plain(value.split()[-1]) in HEAD_WORDS:
        return None
    return Span(start, end, value)


# --- acronyms ------------------------------------------------------------------

_HEREINAFTER = re.compile(r"(?:hereinafter|hereafter|henceforth)(?:\s+(?:referred to as|called))?\s*[\"“”'‘]([^\"“”'’]{1,40})[\"“”'’]", re.I)
_PAREN_ALIAS = re.compile(r"\(\s*(?:the\s+)?[\"“]?([A-Z][\w.&*'-]*(?:\s[A-Z][\w.&*'-]*){0,2})[\"”]?\s*\)")


def find_acronyms(text: str, known: Iterable[str] = ()) -> dict[str, str]:
    """Short forms the text ties to long names: ``Long Name (LN)``, ``(hereinafter "LN")``.

    Examples
    --------
    >>> find_acronyms("The Cell and Gene Therapy Catapult (CGT Catapult) signed.")
    {'CGT Catapult': 'Cell and Gene Therapy Catapult'}
    """
    found: dict[str, str] = {}
    for match in re.finditer(r"\(([^()]{1,400})\)", text):
        inner = match.group(1)
        alias = None
        hereinafter = _HEREINAFTER.search(inner)
        if hereinafter:
            alias = hereinafter.group(1).strip()
        else:
            plain = _PAREN_ALIAS.fullmatch(match.group())
            if plain and _looks_like_acronym(plain.group(1)):
                alias = plain.group(1)
        if not alias:
            # "A*STAR (the Agency for Science, Technology and Research)": the long name inside
            inner_runs = capitalised_runs(inner)
            before = re.search(r"([A-Z][\w*&.-]*[A-Z][\w*&.-]*)\s*$", text[max(0, match.start() - 30): match.start()])
            if before and len(inner_runs) == 1 and len(inner_runs[0].text.split()) >= 2 and \
                    not inner[: inner_runs[0].start].strip(" “\"").casefold().strip() not in {"", "the"} and \
                    _acronym_score([c for c in before.group(1) if c.isupper()], inner_runs[0].text) >= 0.6:
                found.setdefault(before.group(1), inner_runs[0].text)
            continue
        if _plain(alias) in AGREEMENT_WORDS or alias.casefold() in {"mou", "mous", "moc", "loi"}:
            continue
        long_name = _long_name_before(text, match.start(), alias, strict=not hereinafter)
        if long_name and long_name != alias:
            found.setdefault(alias, long_name)
    return found


def _looks_like_acronym(value: str) -> bool:
    capitals = sum(c.isupper() for c in value)
    return capitals >= 2 and len(value) <= 20 and not is_country(value)


def _long_name_before(text: str, position: int, alias: str, strict: bool) -> str | None:
    window_start = max(0, position - 200)
    window = text[window_start:position]
    runs = capitalised_runs(window)
    if not runs or window[runs[-1].end:].strip():
        return None
    run = runs[-1]
    letters = [c for c in alias if c.isupper()]
    # extend over "and"/"&" to an earlier run when the acronym's letters need it ("Cell and Gene Therapy Catapult")
    for earlier in reversed(runs[:-1]):
        gap = window[earlier.end: run.start].strip()
        if gap.casefold() not in {"and", "&", "und"}:
            break
        merged = window[earlier.start: run.end]
        if _acronym_score(letters, merged) > _acronym_score(letters, run.text):
            run = Span(earlier.start, run.end, merged)
        else:
            break
    name = run.text
    words = name.split()
    if strict:
        if _acronym_score(letters, name) < 0.6:
            return None
        # drop a leading descriptor the acronym does not spell ("Japanese Foundation ... (FBRI)")
        while len(words) > 1 and _plain(words[0]) in DEMONYMS and words[0][0].upper() != letters[0]:
            words = words[1:]
    return " ".join(words)


def _acronym_score(letters: list[str], name: str) -> float:
    """The share of the acronym's capitals that the name's initials spell, in order (a letter the
    name does not spell may be skipped: "MTPConnect"); a camel-case word gives each of its capitals
    ("BioIndustry" is B and I)."""
    initials = [c for w in re.findall(r"[^\W\d_][\w'-]*", name) if w[0].isupper() for c in w if c.isupper()]
    if not letters:
        return 0.0
    # longest common subsequence of the two letter sequences
    row = [0] * (len(initials) + 1)
    for letter in letters:
        previous = 0
        for j, initial in enumerate(initials, 1):
            current = row[j]
            row[j] = previous + 1 if letter == initial else max(row[j], row[j - 1])
            previous = current
    return row[-1] / len(letters)


# --- the gazetteer -----------------------------------------------------------------

class Gazetteer:
    """Known organisations by normalised name; a key two organisations share is left out."""

    def __init__(self, organizations: Iterable[Organization] = ()):
        self.keys: dict[str, str | None] = {}
        self.names: dict[str, str] = {}
        for org in organizations:
            self.names[org.id] = org.name
            for name in [org.id, *org.all_names()]:
                key = normalize_name(name)
                if key and self.keys.get(key, org.id) != org.id:
                    self.keys[key] = None
                else:
                    self.keys[key] = org.id

    def lookup(self, name: str) -> str | None:
        return self.keys.get(normalize_name(name)) if name.strip() else None

    def __bool__(self) -> bool:
        return bool(self.keys)


# --- people ----------------------------------------------------------------------

_PERSON = r"(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sir|Dame|Lord)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z]\.)?(?:\s+(?:van|von|de|der|da|le)\s+)?(?:\s+[A-Z][\w'’-]+){1,2}"
PERSON_TITLE_ORG = re.compile(
    rf"(?P<person>{_PERSON})\s*,\s*(?P<title>(?:[A-Z][\w-]*|and|of|the|for|&)(?:\s+(?:[A-Z][\w&-]*|and|&))*?)"
    r"\s*(?:,\s*|\s+(?:of|at|for)\s+(?:the\s+)?)(?P<org>[A-Z][^,;()]*?)(?=\s*(?:\(|,|;|\.(?:\s|$)|$|\s+and\s+[A-Z]|\s+signed|\s+said))"
)
TITLE_PERSON = re.compile(
    rf"(?P<org>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)*?)(?:'s|’s)?\s+(?P<title>(?:Deputy\s+|Vice[\s-])?(?:CEO|Chief Executive(?: Officer)?|President|Director(?:[\s-]General)?|Governor|Mayor|Chair(?:man|woman|person)?|Minister|Dean|Managing Director|Secretary))\s+(?P<person>{_PERSON})"
)


def looks_like_person(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4:
        return False
    if any(_plain(w) in HEAD_WORDS or _plain(w) in TITLE_WORDS or _plain(w) in _STOP or is_country(w) for w in words):
        return False
    return all(w[0].isupper() for w in words)

