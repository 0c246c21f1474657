"""Realistic synthetic data: organisations and the agreements between them.

For benchmarks and scale tests (``clusterkg generate``). The same seed always
gives the same records. What is generated:

- **Places.** 40 countries (ISO 3166-1) with 3 to 18 real ISO 3166-2 regions
  each, chosen where life-science clusters are (Massachusetts, Kanagawa,
  Île-de-France, Basel-Stadt, ...), and made-up towns in each region.
- **Organisations** of every kind in :data:`~clusterkg.model.records.ORG_KINDS`:
  life-science clusters (one to three per region, the busiest regions first),
  regional and national governments, cities, universities, research institutes,
  hospitals, companies (with the legal form of their country, which the
  resolver ignores), agencies, funders, investors and societies. Some have
  aliases (acronyms, short names), Japanese and Chinese governments have their
  name in their own script too, some companies are members of their region's
  cluster. Every name and alias is unique after
  :func:`~clusterkg.loaders.resolve.normalize_name`, so every reference
  resolves to exactly one organisation.
- **Agreements** of every type in :data:`~clusterkg.model.records.AGREEMENT_TYPES`
  (mostly MoUs), between two parties mostly and up to eight. Parties are drawn
  in proportion to a heavy-tailed (bounded Pareto) "activity" of each
  organisation, weighted by kind, and four in ten partners come from the first
  party's country: a few hubs have hundreds of agreements, most organisations a
  handful. Dates span 2010 to 2024, more of them in later years, to the day, the
  month or only the year. About one party reference in ten is written by name,
  alias or an upper-cased name instead of the id, so the resolver has work to
  do. Some agreements have signatories, a term or an end date, a scope and
  activities, or renew an earlier agreement; most have an id, the others get the
  derived one. Every agreement has a source, a few have two.

The records are built with ``model_construct`` (no validation, which is what
makes 100,000 organisations and 300,000 agreements take seconds); the tests load
what is written back through the validating loaders and expect no problem.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from clusterkg.loaders.resolve import normalize_name
from clusterkg.model.dates import PartialDate
from clusterkg.model.records import (
    Agreement,
    Organization,
    Party,
    Record,
    Signatory,
    Source,
    derive_agreement_id,
    slugify,
)

__all__ = ["COUNTRIES", "FIRST_YEAR", "LAST_YEAR", "Generated", "generate", "write_generated"]

FIRST_YEAR = 2010
LAST_YEAR = 2024


class Country(NamedTuple):
    code: str  # ISO 3166-1 alpha-2
    name: str
    weight: float  # share of the organisations, relative
    legal_forms: tuple[str, ...]  # what company names end with
    regions: tuple[tuple[str, str], ...]  # (ISO 3166-2 code, name), busiest first


_LTD = ("Ltd",)

#: The countries and regions organisations are placed in, the busiest first.
COUNTRIES: tuple[Country, ...] = (
    Country("US", "United States", 22, ("Inc.", "Inc.", "LLC", "Corp."), (
        ("US-MA", "Massachusetts"), ("US-CA", "California"), ("US-NC", "North Carolina"),
        ("US-NJ", "New Jersey"), ("US-MD", "Maryland"), ("US-PA", "Pennsylvania"), ("US-NY", "New York"),
        ("US-TX", "Texas"), ("US-WA", "Washington"), ("US-IL", "Illinois"), ("US-MN", "Minnesota"),
        ("US-GA", "Georgia"), ("US-OH", "Ohio"), ("US-FL", "Florida"), ("US-CO", "Colorado"),
        ("US-MO", "Missouri"), ("US-UT", "Utah"), ("US-WI", "Wisconsin"))),
    Country("DE", "Germany", 7, ("GmbH", "GmbH", "AG", "SE"), (
        ("DE-BY", "Bayern"), ("DE-BW", "Baden-Württemberg"), ("DE-BE", "Berlin"), ("DE-HH", "Hamburg"),
        ("DE-NW", "Nordrhein-Westfalen"), ("DE-HE", "Hessen"), ("DE-SN", "Sachsen"),
        ("DE-SH", "Schleswig-Holstein"), ("DE-NI", "Niedersachsen"), ("DE-RP", "Rheinland-Pfalz"))),
    Country("GB", "United Kingdom", 7, ("Ltd", "Ltd", "plc", "Limited"), (
        ("GB-LND", "London"), ("GB-CAM", "Cambridgeshire"), ("GB-OXF", "Oxfordshire"),
        ("GB-EDH", "Edinburgh"), ("GB-MAN", "Manchester"), ("GB-GLG", "Glasgow"), ("GB-NET", "Newcastle"),
        ("GB-LDS", "Leeds"), ("GB-CRF", "Cardiff"), ("GB-BFS", "Belfast"))),
    Country("JP", "Japan", 7, ("K.K.", "Co., Ltd.", "株式会社"), (
        ("JP-13", "Tokyo"), ("JP-27", "Osaka"), ("JP-14", "Kanagawa"), ("JP-28", "Hyogo"), ("JP-26", "Kyoto"),
        ("JP-23", "Aichi"), ("JP-40", "Fukuoka"), ("JP-01", "Hokkaido"), ("JP-04", "Miyagi"),
        ("JP-08", "Ibaraki"), ("JP-12", "Chiba"), ("JP-11", "Saitama"), ("JP-34", "Hiroshima"),
        ("JP-22", "Shizuoka"))),
    Country("CN", "China", 7, ("Co., Ltd.",), (
        ("CN-SH", "Shanghai"), ("CN-BJ", "Beijing"), ("CN-JS", "Jiangsu"), ("CN-GD", "Guangdong"),
        ("CN-ZJ", "Zhejiang"), ("CN-TJ", "Tianjin"), ("CN-HB", "Hubei"), ("CN-SC", "Sichuan"))),
    Country("FR", "France", 5, ("SAS", "SA"), (
        ("FR-IDF", "Île-de-France"), ("FR-ARA", "Auvergne-Rhône-Alpes"), ("FR-OCC", "Occitanie"),
        ("FR-PAC", "Provence-Alpes-Côte d'Azur"), ("FR-HDF", "Hauts-de-France"), ("FR-GES", "Grand Est"),
        ("FR-NAQ", "Nouvelle-Aquitaine"), ("FR-PDL", "Pays de la Loire"), ("FR-BRE", "Bretagne"))),
    Country("CH", "Switzerland", 3, ("AG", "SA", "GmbH"), (
        ("CH-BS", "Basel-Stadt"), ("CH-ZH", "Zürich"), ("CH-GE", "Genève"), ("CH-VD", "Vaud"),
        ("CH-BL", "Basel-Landschaft"), ("CH-BE", "Bern"), ("CH-TI", "Ticino"), ("CH-LU", "Luzern"))),
    Country("KR", "South Korea", 3, ("Co., Ltd.", "Inc."), (
        ("KR-11", "Seoul"), ("KR-41", "Gyeonggi"), ("KR-28", "Incheon"), ("KR-43", "Chungcheongbuk"),
        ("KR-30", "Daejeon"), ("KR-27", "Daegu"), ("KR-26", "Busan"))),
    Country("CA", "Canada", 3, ("Inc.", "Ltd"), (
        ("CA-ON", "Ontario"), ("CA-QC", "Québec"), ("CA-BC", "British Columbia"), ("CA-AB", "Alberta"),
        ("CA-NS", "Nova Scotia"), ("CA-MB", "Manitoba"), ("CA-SK", "Saskatchewan"))),
    Country("IN", "India", 3, ("Pvt. Ltd.", "Ltd"), (
        ("IN-KA", "Karnataka"), ("IN-MH", "Maharashtra"), ("IN-TS", "Telangana"), ("IN-GJ", "Gujarat"),
        ("IN-TN", "Tamil Nadu"), ("IN-DL", "Delhi"), ("IN-HR", "Haryana"))),
    Country("NL", "Netherlands", 2.5, ("B.V.", "N.V."), (
        ("NL-ZH", "Zuid-Holland"), ("NL-NH", "Noord-Holland"), ("NL-UT", "Utrecht"), ("NL-NB", "Noord-Brabant"),
        ("NL-GE", "Gelderland"), ("NL-LI", "Limburg"), ("NL-GR", "Groningen"))),
    Country("IT", "Italy", 2.5, ("S.p.A.", "S.r.l."), (
        ("IT-25", "Lombardia"), ("IT-62", "Lazio"), ("IT-21", "Piemonte"), ("IT-52", "Toscana"),
        ("IT-45", "Emilia-Romagna"), ("IT-34", "Veneto"), ("IT-72", "Campania"))),
    Country("ES", "Spain", 2.5, ("S.L.", "S.A."), (
        ("ES-CT", "Catalunya"), ("ES-MD", "Comunidad de Madrid"), ("ES-PV", "País Vasco"),
        ("ES-AN", "Andalucía"), ("ES-VC", "Comunitat Valenciana"), ("ES-GA", "Galicia"))),
    Country("SE", "Sweden", 2, ("AB",), (
        ("SE-AB", "Stockholm"), ("SE-M", "Skåne"), ("SE-O", "Västra Götaland"), ("SE-C", "Uppsala"),
        ("SE-E", "Östergötland"))),
    Country("DK", "Denmark", 2, ("A/S", "ApS"), (
        ("DK-84", "Hovedstaden"), ("DK-82", "Midtjylland"), ("DK-83", "Syddanmark"), ("DK-85", "Sjælland"),
        ("DK-81", "Nordjylland"))),
    Country("BE", "Belgium", 2, ("NV", "SA", "BV"), (
        ("BE-VLG", "Flanders"), ("BE-WAL", "Wallonia"), ("BE-BRU", "Brussels-Capital Region"))),
    Country("IL", "Israel", 2, _LTD, (
        ("IL-TA", "Tel Aviv"), ("IL-M", "Central District"), ("IL-JM", "Jerusalem"), ("IL-HA", "Haifa"),
        ("IL-Z", "Northern District"))),
    Country("AU", "Australia", 2, ("Pty Ltd",), (
        ("AU-VIC", "Victoria"), ("AU-NSW", "New South Wales"), ("AU-QLD", "Queensland"),
        ("AU-WA", "Western Australia"), ("AU-SA", "South Australia"), ("AU-ACT", "Australian Capital Territory"))),
    Country("SG", "Singapore", 1.5, ("Pte. Ltd.",), (
        ("SG-01", "Central Singapore"), ("SG-05", "South West"), ("SG-03", "North West"), ("SG-02", "North East"),
        ("SG-04", "South East"))),
    Country("TW", "Taiwan", 1.5, ("Co., Ltd.",), (
        ("TW-TPE", "Taipei"), ("TW-HSZ", "Hsinchu"), ("TW-NWT", "New Taipei"), ("TW-TXG", "Taichung"),
        ("TW-TNN", "Tainan"), ("TW-KHH", "Kaohsiung"))),
    Country("BR", "Brazil", 1.5, ("Ltda.", "S.A."), (
        ("BR-SP", "São Paulo"), ("BR-RJ", "Rio de Janeiro"), ("BR-MG", "Minas Gerais"),
        ("BR-RS", "Rio Grande do Sul"), ("BR-PR", "Paraná"))),
    Country("IE", "Ireland", 1.2, ("Ltd", "DAC"), (
        ("IE-D", "Dublin"), ("IE-CO", "Cork"), ("IE-G", "Galway"), ("IE-LK", "Limerick"))),
    Country("AT", "Austria", 1.2, ("GmbH", "AG"), (
        ("AT-9", "Wien"), ("AT-6", "Steiermark"), ("AT-7", "Tirol"), ("AT-3", "Niederösterreich"),
        ("AT-4", "Oberösterreich"))),
    Country("PL", "Poland", 1.2, ("Sp. z o.o.", "S.A."), (
        ("PL-14", "Mazowieckie"), ("PL-12", "Małopolskie"), ("PL-02", "Dolnośląskie"), ("PL-10", "Łódzkie"),
        ("PL-30", "Wielkopolskie"), ("PL-22", "Pomorskie"))),
    Country("FI", "Finland", 1, ("Oy",), (
        ("FI-18", "Uusimaa"), ("FI-11", "Pirkanmaa"), ("FI-19", "Varsinais-Suomi"), ("FI-14", "Pohjois-Pohjanmaa"))),
    Country("NO", "Norway", 1, ("AS", "ASA"), (
        ("NO-03", "Oslo"), ("NO-46", "Vestland"), ("NO-50", "Trøndelag"), ("NO-11", "Rogaland"))),
    Country("CZ", "Czechia", 0.8, ("s.r.o.", "a.s."), (
        ("CZ-10", "Praha"), ("CZ-64", "Jihomoravský kraj"), ("CZ-20", "Středočeský kraj"))),
    Country("PT", "Portugal", 0.8, ("Lda.", "S.A."), (
        ("PT-11", "Lisboa"), ("PT-13", "Porto"), ("PT-06", "Coimbra"), ("PT-03", "Braga"))),
    Country("TR", "Türkiye", 0.8, ("A.Ş.",), (
        ("TR-34", "İstanbul"), ("TR-06", "Ankara"), ("TR-35", "İzmir"), ("TR-16", "Bursa"))),
    Country("MX", "Mexico", 0.8, ("S.A. de C.V.",), (
        ("MX-CMX", "Ciudad de México"), ("MX-JAL", "Jalisco"), ("MX-NLE", "Nuevo León"), ("MX-BCN", "Baja California"))),
    Country("ZA", "South Africa", 0.7, ("(Pty) Ltd",), (
        ("ZA-WC", "Western Cape"), ("ZA-GP", "Gauteng"), ("ZA-KZN", "KwaZulu-Natal"), ("ZA-EC", "Eastern Cape"))),
    Country("TH", "Thailand", 0.7, ("Co., Ltd.",), (
        ("TH-10", "Bangkok"), ("TH-20", "Chon Buri"), ("TH-50", "Chiang Mai"), ("TH-90", "Songkhla"))),
    Country("HU", "Hungary", 0.6, ("Kft.", "Zrt."), (
        ("HU-BU", "Budapest"), ("HU-CS", "Csongrád-Csanád"), ("HU-HB", "Hajdú-Bihar"), ("HU-BA", "Baranya"))),
    Country("AE", "United Arab Emirates", 0.6, ("LLC", "FZ-LLC"), (
        ("AE-AZ", "Abu Dhabi"), ("AE-DU", "Dubai"), ("AE-SH", "Sharjah"))),
    Country("AR", "Argentina", 0.6, ("S.A.", "S.R.L."), (
        ("AR-C", "Ciudad Autónoma de Buenos Aires"), ("AR-B", "Provincia de Buenos Aires"), ("AR-X", "Córdoba"),
        ("AR-S", "Santa Fe"))),
    Country("MY", "Malaysia", 0.6, ("Sdn. Bhd.",), (
        ("MY-10", "Selangor"), ("MY-14", "Kuala Lumpur"), ("MY-07", "Penang"), ("MY-01", "Johor"))),
    Country("GR", "Greece", 0.5, ("S.A.",), (
        ("GR-I", "Attica"), ("GR-B", "Central Macedonia"), ("GR-M", "Crete"))),
    Country("SA", "Saudi Arabia", 0.5, _LTD, (
        ("SA-01", "Riyadh"), ("SA-02", "Makkah"), ("SA-04", "Eastern Province"))),
    Country("CL", "Chile", 0.5, ("SpA", "S.A."), (
        ("CL-RM", "Región Metropolitana"), ("CL-VS", "Valparaíso"), ("CL-BI", "Biobío"))),
    Country("NZ", "New Zealand", 0.5, ("Limited",), (
        ("NZ-AUK", "Auckland"), ("NZ-WGN", "Wellington"), ("NZ-CAN", "Canterbury"), ("NZ-OTA", "Otago"))),
)

#: Names of regional governments in their own script.
_LOCAL_NAMES = {
    "JP-13": ("ja", "東京都"), "JP-14": ("ja", "神奈川県"), "JP-27": ("ja", "大阪府"), "JP-28": ("ja", "兵庫県"),
    "JP-26": ("ja", "京都府"), "JP-23": ("ja", "愛知県"), "JP-40": ("ja", "福岡県"), "JP-01": ("ja", "北海道"),
    "JP-04": ("ja", "宮城県"), "JP-08": ("ja", "茨城県"), "JP-12": ("ja", "千葉県"), "JP-11": ("ja", "埼玉県"),
    "JP-34": ("ja", "広島県"), "JP-22": ("ja", "静岡県"),
    "CN-SH": ("zh", "上海市"), "CN-BJ": ("zh", "北京市"), "CN-JS": ("zh", "江苏省"), "CN-GD": ("zh", "广东省"),
    "CN-ZJ": ("zh", "浙江省"), "CN-TJ": ("zh", "天津市"), "CN-HB": ("zh", "湖北省"), "CN-SC": ("zh", "四川省"),
}

# -- vocabularies ------------------------------------------------------------------

_STEM_START = (
    "Nova", "Gen", "Ax", "Bio", "Cel", "Thera", "Vita", "Medi", "Onco", "Immu", "Neuro", "Cardi", "Lumi", "Ver",
    "Astra", "Zen", "Quant", "Syn", "Xen", "Proti", "Myco", "Viro", "Pepti", "Cyto", "Heli", "Nex", "Evo", "Kine",
    "Ori", "Sola", "Tri", "Arca", "Bel", "Cora", "Delta", "Ely", "Fen", "Gala", "Hydra", "Iso", "Juno", "Kora",
    "Lyra", "Mira", "Nuvo", "Omni", "Pyra", "Qura", "Rhea", "Sera", "Tala", "Umbra", "Vela", "Wyn", "Xyla",
    "Yara", "Zeta", "Acu", "Brio", "Cirra",
)
_STEM_MIDDLE = ("ne", "li", "ra", "to", "vi", "mo", "sa", "de", "ri", "ta", "lo", "ni", "ve", "ma", "co", "pi")
_STEM_END = (
    "gen", "ix", "ara", "ion", "eon", "is", "yx", "ica", "one", "ure", "ant", "ova", "ex", "ium", "os", "ia",
    "ent", "ics", "um", "on", "a", "ex", "ys", "ine", "ora", "ity", "ax", "el", "ir", "or",
)
_COMPANY_WORDS = (
    "Therapeutics", "Biosciences", "Pharma", "Bio", "Genomics", "Diagnostics", "Medical", "Biotech", "Biologics",
    "Health", "Life Sciences", "Labs", "Molecular", "Oncology", "Neuroscience", "Vaccines", "Devices",
    "Pharmaceuticals", "Biotherapeutics", "Imaging", "Robotics", "Analytics", "Cell Therapy", "Medtech",
)
_TOWN_START = (
    "Ash", "Bel", "Car", "Dun", "El", "Fair", "Glen", "Har", "Kings", "Lin", "Mar", "New", "Ox", "Port", "Ros",
    "Sal", "Thorn", "Wes", "Bran", "Hal", "Lang", "Mil", "Stan", "Wil", "Al", "Bex", "Cran", "Dor", "Ever",
    "Fal", "Gran", "Hol", "Ivy", "Kel", "Lor", "Mor", "Nor", "Pen", "Red", "Sum", "Tal", "Vel", "Wynd", "Yar",
    "Ald", "Brom", "Clif", "Dal",
)
_TOWN_MIDDLE = ("ber", "ling", "wen", "ter", "mer", "ding", "ver", "den", "ham", "ley", "rid", "sel", "ton", "wor", "nes", "car")
_TOWN_END = (
    "ford", "ton", "burg", "ville", "by", "field", "haven", "mouth", "stead", "wick", "dale", "heim", "mont",
    "berg", "stad", "holm", "bridge", "minster", "port", "gate", "brook", "wood", "more", "thorpe", "sund",
    "dorf", "chester", "hurst", "mere", "wald",
)
_FIELDS = (
    "Regenerative Medicine", "Cancer Research", "Immunology", "Neuroscience", "Infectious Diseases",
    "Genomic Medicine", "Biomedical Engineering", "Translational Medicine", "Cardiovascular Research",
    "Structural Biology", "Bioinformatics", "Stem Cell Research", "Precision Medicine", "Vaccine Research",
    "Metabolic Diseases", "Medical Imaging",
)
_SAINTS = ("Mary", "Luke", "Thomas", "George", "Anne", "Joseph", "Vincent", "Elizabeth", "James", "Catherine")
_TOPICS = (
    "regenerative medicine", "cell and gene therapy", "digital health", "medical devices", "oncology",
    "drug discovery", "vaccines", "genomics", "artificial intelligence in healthcare", "antimicrobial resistance",
    "clinical trials", "biomanufacturing", "precision medicine", "neuroscience", "rare diseases",
    "start-up acceleration", "talent exchange", "market access", "healthy ageing", "diagnostics",
)
_ACTIVITIES = (
    "joint events", "exchange of information", "mutual visits", "joint seminars", "start-up soft-landing",
    "co-funded projects", "delegation exchange", "shared facilities", "researcher exchange", "joint calls",
    "investor matchmaking", "training programmes",
)
_FIRST_NAMES = (
    "Yuji", "Keith", "Takashi", "Kenji", "Anna", "Maria", "James", "Sophie", "Lars", "Ingrid", "Wei", "Mei",
    "Min-jun", "Ji-woo", "Priya", "Arjun", "Luca", "Giulia", "Pierre", "Claire", "Hans", "Katrin", "Olivia",
    "Noah", "Sara", "David", "Yael", "Carlos", "Ana", "Emma", "Liam", "Hiroko", "Aiko", "Ravi", "Fatima",
    "Omar", "Elena", "Mikael", "Sanna", "Tom",
)
_LAST_NAMES = (
    "Kuroiwa", "Thompson", "Ueda", "Shuto", "Tanaka", "Suzuki", "Müller", "Schmidt", "Dubois", "Martin", "Rossi",
    "Bianchi", "García", "López", "Smith", "Jones", "Williams", "Brown", "Andersson", "Nielsen", "Virtanen",
    "Kowalski", "Novák", "Kim", "Lee", "Park", "Wang", "Li", "Zhang", "Chen", "Sharma", "Patel", "Cohen",
    "Levi", "da Silva", "Santos", "O'Brien", "Murphy", "Van den Berg", "De Vries", "Nakamura", "Yamamoto",
)
_SIGNATORY_TITLES = {
    "cluster": ("Chief Executive Officer", "Executive Director", "Chair"),
    "government": ("Governor", "Minister", "Deputy Governor", "Secretary of State"),
    "city": ("Mayor", "Deputy Mayor"),
    "university": ("President", "Vice-Chancellor", "Rector", "Provost"),
    "company": ("Chief Executive Officer", "Chief Business Officer", "President"),
    "research-institute": ("Director", "Scientific Director"),
    "hospital": ("Chief Executive", "Medical Director"),
    "agency": ("Director General", "Chief Executive"),
    "funder": ("Executive Director", "Chair of the Board"),
    "investor": ("Managing Partner", "Partner"),
    "society": ("President", "Secretary General"),
    "other": ("Director",),
}
_TYPE_LABELS = {
    "mou": "Memorandum of understanding", "loi": "Letter of intent", "moc": "Memorandum of cooperation",
    "collaboration": "Research collaboration", "partnership": "Strategic partnership",
    "funding": "Funding agreement", "acquisition": "Acquisition", "membership": "Membership",
    "other": "Agreement",
}
#: Name patterns of public bodies: {c} country, {r} region, {t} town, {f} field of research.
_BODY_PATTERNS = {
    "society": (
        "{c} Society for {f}", "{c} Association for {f}", "{r} Society of {f}", "{c} Federation of {f}",
        "{t} {f} Society", "{r} Association of {f} Companies",
    ),
    "agency": (
        "{c} Trade and Investment Agency", "{r} Development Agency", "{r} Innovation Agency",
        "{c} Agency for Medical Research", "{r} Investment Promotion Agency", "{c} Health Technology Agency",
        "{t} Economic Development Agency", "{t} Innovation Agency", "{r} Agency for {f}",
    ),
    "government": (
        "{c} Ministry of Health", "{c} Ministry of Economy and Industry", "{c} Department for Trade",
        "{c} Ministry of Science", "{r} Department of Economic Development", "{r} Health Department",
        "{t} County Council", "{t} District Government", "{t} Municipal Health Office",
        "{r} Office for {f}",
    ),
}
_ACRONYM_SHARE = {"society": 0.5, "agency": 0.6, "government": 0.0}
_PUBLISHER_WORDS = ("news", "press", "media", "newsroom")

#: Agreement types and how often each is drawn (mostly MoUs).
TYPE_WEIGHTS: dict[str, float] = {
    "mou": 45, "collaboration": 14, "partnership": 9, "loi": 8, "moc": 6, "funding": 8, "membership": 4,
    "acquisition": 3, "other": 3,
}

#: Kinds of the organisations that are neither clusters nor regional governments, and their shares.
KIND_WEIGHTS: dict[str, float] = {
    "company": 52, "university": 10, "research-institute": 7, "hospital": 6, "investor": 5, "city": 4,
    "agency": 4, "funder": 3, "society": 3, "government": 3, "other": 1,
}
#: How active each kind is in making agreements (multiplies the heavy-tailed activity).
KIND_ACTIVITY: dict[str, float] = {
    "cluster": 8, "agency": 4, "government": 3, "university": 3, "city": 2, "funder": 2,
    "research-institute": 2, "society": 1.5, "hospital": 1, "company": 1, "investor": 1, "other": 1,
}


def _build(cls: type[Record], **given: object) -> Record:
    """``cls.model_construct(**given)``, but with every field passed.

    pydantic's ``model_construct`` inspects the signature of each default
    factory of a field not given (``list``, ``dict``), which costs far more than
    building the record; so the defaults are filled in here.
    """
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = {
            name: (info.default_factory if info.default_factory is not None else (lambda d=info.default: d))
            for name, info in cls.model_fields.items() if not info.is_required()
        }
    values = {name: make() for name, make in defaults.items() if name not in given}
    values.update(given)
    return cls.model_construct(set(given), **values)


_DEFAULTS: dict[type, dict[str, object]] = {}

_PARETO_ALPHA = 1.3  # tail exponent of the activity; below 2 gives a few very busy hubs
_PARETO_CAP = 400.0  # the busiest is at most this many times the least busy (of one kind); less below 4,000 orgs
_SAME_COUNTRY = 0.4  # chance that a further party comes from the first party's country
_BY_NAME = 0.1  # share of party references written by name or alias
_MINOR_WORDS = frozenset({"of", "and", "for", "de", "the", "in", "a", "la", "du", "des", "der"})


@dataclass
class Generated:
    """A generated dataset: the organisations, then the agreements between them.

    Attributes
    ----------
    organizations : list of Organization
    agreements : list of Agreement
    seed : int
        The seed they were generated from.
    """

    organizations: list[Organization] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    seed: int = 0

    def records(self) -> Iterator[Record]:
        """Every record, organisations first: the order a writer needs."""
        yield from self.organizations
        yield from self.agreements

    def __len__(self) -> int:
        return len(self.organizations) + len(self.agreements)


def generate(orgs: int, agreements: int, seed: int) -> Generated:
    """A realistic synthetic dataset of ``orgs`` organisations and ``agreements`` agreements.

    Deterministic: the same arguments always give the same records (one
    :class:`random.Random` seeded with ``seed`` draws everything). The records
    are valid as they are: written in any format and read back they load with no
    problem.

    Parameters
    ----------
    orgs : int
        How many organisations; at least 2 when there are agreements.
    agreements : int
        How many agreements.
    seed : int
        Same seed, same data.

    Returns
    -------
    Generated
        The organisations and the agreements, in the order they were made.

    Raises
    ------
    ValueError
        For a negative count, or agreements without two organisations to make them.

    Examples
    --------
    >>> data = generate(50, 120, seed=7)
    >>> len(data.organizations), len(data.agreements)
    (50, 120)
    >>> generate(50, 120, seed=7).agreements == data.agreements
    True
    >>> sorted({len(a.parties) >= 2 for a in data.agreements})
    [True]
    """
    if orgs < 0 or agreements < 0:
        raise ValueError("the numbers of organisations and agreements cannot be negative")
    if agreements and orgs < 2:
        raise ValueError("agreements need at least two organisations")
    from clusterkg.model.dataset import FREEZE_FROM, gc_paused

    rng = random.Random(seed)
    # Millions of objects that all stay: the collector would only slow it down.
    with gc_paused(freeze=orgs + agreements >= FREEZE_FROM):
        organizations = _Organizations(rng).make(orgs)
        made = _Agreements(rng, organizations).make(agreements)
    return Generated(organizations, made, seed)


def write_generated(gen: Generated, out: Path | str, fmt: str = "csv") -> Path:
    """Write a generated dataset in ``fmt`` (csv, yaml, json, jsonl or xlsx).

    Parameters
    ----------
    gen : Generated
        What :func:`generate` made.
    out : path
        For ``csv`` the folder to write organizations.csv, agreements.csv and
        sources.csv into (made if missing). For the other formats the file to
        write; a folder, or a path without a suffix, gets ``synthetic.FMT`` in it.
    fmt : str
        One of :data:`clusterkg.loaders.writers.FORMATS`.

    Returns
    -------
    Path
        The folder (csv) or the file written.

    Examples
    --------
    >>> import tempfile
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> folder = Path(tempfile.mkdtemp()) / "data"
    >>> write_generated(generate(40, 100, seed=1), folder, "csv") == folder
    True
    >>> ds = load_dataset([folder])
    >>> ds.valid, len(ds.organizations), len(ds.agreements)
    (True, 40, 100)
    """
    from clusterkg.loaders.writers import write
    from clusterkg.model.dataset import gc_paused

    out = Path(out)
    fmt = fmt.lower().lstrip(".")
    fmt = "yaml" if fmt == "yml" else fmt
    if fmt != "csv" and (out.is_dir() or not out.suffix):
        out = out / f"synthetic.{fmt}"
    with gc_paused():
        write(gen.records(), out, fmt)
    return out


# -- organisations -------------------------------------------------------------------


@dataclass
class _Place:
    country: Country
    region: str  # ISO 3166-2 code
    region_name: str
    weight: float
    towns: list[str] = field(default_factory=list)
    cluster: str | None = None  # id of the region's first cluster


def _acronym(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w.lower() not in _MINOR_WORDS]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def _zipf_index(rng: random.Random, n: int, skew: float = 2.0) -> int:
    """An index below n, low ones far more often (the busiest region, the biggest town)."""
    return min(n - 1, int(n * rng.random() ** skew))


class _Organizations:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.keys: set[str] = set()  # normalize_name of every name and alias given out
        self.ids: set[str] = set()
        self.towns: set[str] = set()
        self.numbered: dict[str, int] = {}  # name -> the next number to try after it
        self.places = [
            _Place(country, code, name, country.weight / (rank + 1) ** 0.8)
            for country in COUNTRIES
            for rank, (code, name) in enumerate(country.regions)
        ]
        self.place_cum = list(itertools.accumulate(p.weight for p in self.places))
        self.made: list[Organization] = []

    # -- names ---------------------------------------------------------------

    def free(self, name: str) -> bool:
        return normalize_name(name) not in self.keys

    def town(self, place: _Place, new: bool = False) -> str:
        towns = place.towns
        if towns and not new and self.rng.random() >= 0.5 / (1 + len(towns) / 16):
            return towns[_zipf_index(self.rng, len(towns))]
        for _ in range(50):
            parts = [self.rng.choice(_TOWN_START)]
            if self.rng.random() < 0.6:
                parts.append(self.rng.choice(_TOWN_MIDDLE))
            parts.append(self.rng.choice(_TOWN_END))
            name = "".join(parts)
            if name not in self.towns:
                self.towns.add(name)
                towns.append(name)
                return name
        return self.rng.choice(towns) if towns else name

    def stem(self) -> str:
        parts = [self.rng.choice(_STEM_START)]
        if self.rng.random() < 0.5:
            parts.append(self.rng.choice(_STEM_MIDDLE))
        parts.append(self.rng.choice(_STEM_END))
        return "".join(parts)

    def named(self, kind: str, place: _Place) -> tuple[str, list[str], str | None]:
        """A free name for an organisation of ``kind`` in ``place``: (name, alias candidates, town)."""
        for attempt in range(30):
            name, aliases, town = self.candidate(kind, place, fresh=attempt > 3)
            if self.free(name):
                return name, aliases, town
        # Every pattern is taken (a small place asked for many bodies of one kind): number them.
        n = self.numbered.get(name, 1)
        while not self.free(f"{name} {n}"):
            n += 1
        self.numbered[name] = n + 1
        return f"{name} {n}", [], town

    def candidate(self, kind: str, place: _Place, fresh: bool) -> tuple[str, list[str], str | None]:
        rng = self.rng
        country, region = place.country, place.region_name
        if kind == "company":
            stem = self.stem()
            name = f"{stem} {rng.choice(_COMPANY_WORDS)}"
            aliases = [stem] if rng.random() < 0.35 else []
            if rng.random() < 0.8:
                form = rng.choice(country.legal_forms)
                name = f"{form}{name}" if form == "株式会社" else f"{name} {form}"
            return name, aliases, None
        if kind == "cluster":
            pattern = rng.choice((
                "{r} Life Science Cluster", "BioRegion {r}", "{r} Health Innovation Cluster", "{r} Biotech Network",
                "MedTech {r}", "{r} Life Sciences Hub", "{r} BioCluster", "Life Science {r}", "{r} Bioscience Alliance",
            ))
            name = pattern.format(r=region)
            return name, [_acronym(name)] if rng.random() < 0.7 else [], None
        if kind == "investor":
            name = f"{self.stem()} {rng.choice(('Ventures', 'Capital', 'Partners', 'Bio Fund', 'Life Science Investors'))}"
            return name, [], None
        if kind == "funder":
            if rng.random() < 0.5:
                name = f"{self.stem()} Foundation"
            else:
                name = f"{country.name} Research Council for {rng.choice(_FIELDS)}"
            return name, [_acronym(name)] if rng.random() < 0.3 else [], None
        if kind in _BODY_PATTERNS:
            pattern = rng.choice(_BODY_PATTERNS[kind])
            town = self.town(place, new=fresh) if "{t}" in pattern else None
            name = pattern.format(c=country.name, r=region, t=town, f=rng.choice(_FIELDS))
            return name, [_acronym(name)] if rng.random() < _ACRONYM_SHARE[kind] else [], town
        town = self.town(place, new=fresh)
        if kind == "university":
            pattern = rng.choice((
                "University of {t}", "{t} Institute of Technology", "{t} Medical University", "{t} State University",
                "{t} University of Applied Sciences", "{r} University at {t}",
            ))
            name = pattern.format(t=town, r=region)
            aliases = [f"{town} University"] if pattern == "University of {t}" and rng.random() < 0.5 else []
            if rng.random() < 0.3:
                aliases.append(_acronym(name))
            return name, aliases, town
        if kind == "research-institute":
            name = rng.choice((
                "{t} Institute for {f}", "{t} Centre for {f}", "{s} Institute of {f}", "{r} Institute for {f}",
            )).format(t=town, f=rng.choice(_FIELDS), s=self.stem(), r=region)
            return name, [_acronym(name)] if rng.random() < 0.4 else [], town
        if kind == "hospital":
            name = rng.choice((
                "{t} General Hospital", "{t} University Hospital", "St {s}'s Hospital {t}", "{t} Children's Hospital",
                "{t} Cancer Centre",
            )).format(t=town, s=rng.choice(_SAINTS))
            return name, [], town
        if kind == "city":
            return f"City of {town}", [town] if rng.random() < 0.3 else [], town
        name = f"{town} {rng.choice(('Science Park', 'Innovation Campus', 'Biotech Incubator', 'Technology Centre'))}"
        return name, [], town

    # -- records ---------------------------------------------------------------

    def add(self, kind: str, place: _Place, name: str, aliases: list[str], town: str | None,
            names: dict[str, str] | None = None) -> Organization:
        rng = self.rng
        self.keys.add(normalize_name(name))
        kept: list[str] = []
        for alias in aliases:
            key = normalize_name(alias)
            if len(alias) > 1 and key not in self.keys:
                self.keys.add(key)
                kept.append(alias)
        for text in (names or {}).values():
            self.keys.add(normalize_name(text))
        base = slugify(name)
        org_id, n = base, 2
        while org_id in self.ids:
            org_id, n = f"{base}-{n}", n + 1
        self.ids.add(org_id)
        member_of = []
        if kind == "company" and place.cluster and rng.random() < 0.2:
            member_of = [place.cluster]
        org = _build(Organization, 
            id=org_id, name=name, names=names or {}, aliases=kept, kind=kind, country=place.country.code,
            region=place.region if rng.random() < 0.9 else None, city=town, member_of=member_of,
            website=f"https://www.{org_id}.example" if rng.random() < 0.4 else None,
        )
        self.made.append(org)
        return org

    def place(self) -> _Place:
        return self.places[bisect.bisect(self.place_cum, self.rng.random() * self.place_cum[-1])]

    def make(self, n: int) -> list[Organization]:
        rng = self.rng
        # The busiest regions first get a cluster each, then a regional government,
        # then a second and a third cluster.
        ranked = sorted(self.places, key=lambda p: -p.weight)
        clusters = min(3 * len(ranked), max(1, round(n * 0.03))) if n else 0
        governments = min(len(ranked), round(n * 0.02))
        plan: list[tuple[str, _Place]] = []
        for round_ in range(3):
            for place in ranked:
                if len(plan) < clusters:
                    plan.append(("cluster", place))
            if round_ == 0:
                plan += [("government", place) for place in ranked[:governments]]
        plan = plan[:n]
        for kind, place in plan:
            if kind == "government":
                name, names = self.regional_government(place)
                self.add(kind, place, name, [place.region_name] if rng.random() < 0.5 else [], None, names)
            else:
                name, aliases, town = self.named(kind, place)
                org = self.add(kind, place, name, aliases, town)
                place.cluster = place.cluster or org.id
        kinds = list(KIND_WEIGHTS)
        cum = list(itertools.accumulate(KIND_WEIGHTS.values()))
        for _ in range(n - len(plan)):
            kind = rng.choices(kinds, cum_weights=cum)[0]
            place = self.place()
            name, aliases, town = self.named(kind, place)
            self.add(kind, place, name, aliases, town)
        return self.made

    def regional_government(self, place: _Place) -> tuple[str, dict[str, str]]:
        code, region = place.country.code, place.region_name
        name = {
            "JP": f"{region} Prefecture", "US": f"State of {region}", "DE": f"State Government of {region}",
            "CN": f"{region} Municipal People's Government" if place.region in {"CN-SH", "CN-BJ", "CN-TJ"}
            else f"{region} Provincial Government",
        }.get(code, f"Regional Government of {region}")
        if not self.free(name):
            name = f"Government of {region}, {place.country.name}"
        local = _LOCAL_NAMES.get(place.region)
        names = {local[0]: local[1]} if local and self.free(local[1]) else {}
        return name, names


# -- agreements ----------------------------------------------------------------------


class _Picker:
    """Draws organisations in proportion to their activity."""

    def __init__(self, indices: list[int], activity: list[float]):
        self.indices = indices
        self.cum = list(itertools.accumulate(activity[i] for i in indices))

    def __bool__(self) -> bool:
        return bool(self.indices)

    def pick(self, rng: random.Random) -> int:
        return self.indices[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


class _Agreements:
    def __init__(self, rng: random.Random, orgs: list[Organization]):
        self.rng = rng
        self.orgs = orgs
        # Bounded, and more so among few organisations, so that no one hub takes most agreements.
        cap = min(_PARETO_CAP, max(10.0, len(orgs) / 10))
        activity = [KIND_ACTIVITY[org.kind] * min(cap, rng.paretovariate(_PARETO_ALPHA)) for org in orgs]
        everyone = list(range(len(orgs)))
        self.all = _Picker(everyone, activity)
        by_country: dict[str, list[int]] = {}
        for i, org in enumerate(orgs):
            by_country.setdefault(org.country, []).append(i)
        self.by_country = {code: _Picker(ids, activity) for code, ids in by_country.items()}
        self.funders = _Picker([i for i in everyone if orgs[i].kind in {"funder", "government", "agency", "investor"}], activity)
        self.companies = _Picker([i for i in everyone if orgs[i].kind == "company"], activity)
        self.networks = _Picker([i for i in everyone if orgs[i].kind in {"cluster", "society"}], activity)
        self.refs: list[list[str] | None] = [None] * len(orgs)  # names each org can be referred to by
        self.ids: set[str] = set()
        self.renewable: list[int] = []
        self.made: list[Agreement] = []
        self.party_ids: list[tuple[str, ...]] = []  # per agreement made: its sorted party ids
        self.final_ids: list[str] = []  # per agreement made: its id, given or derived
        self.position = {org.id: i for i, org in enumerate(orgs)}
        self.types = list(TYPE_WEIGHTS)
        self.type_cum = list(itertools.accumulate(TYPE_WEIGHTS.values()))

    # -- parts -----------------------------------------------------------------

    def ref(self, i: int) -> str:
        """How a party is written: its id mostly, else a name, alias or upper-cased name."""
        org = self.orgs[i]
        if self.rng.random() >= _BY_NAME:
            return org.id
        forms = self.refs[i]
        if forms is None:
            forms = [org.name, *org.names.values(), *org.aliases]
            shouting = org.name.upper()
            if shouting != org.name and normalize_name(shouting) == normalize_name(org.name):
                forms.append(shouting)
            self.refs[i] = forms
        return self.rng.choice(forms)

    def size(self, type_: str) -> int:
        if type_ == "acquisition":
            return 2
        roll = self.rng.random()
        if roll < 0.86:
            return 2
        if roll < 0.94:
            return 3
        if roll < 0.98:
            return 4
        return self.rng.randint(5, 8)

    def parties(self, type_: str, n: int) -> list[int]:
        rng = self.rng
        first_from = {"funding": self.funders, "acquisition": self.companies, "membership": self.networks}.get(type_)
        first = (first_from or self.all).pick(rng)
        chosen = [first]
        home = self.by_country[self.orgs[first].country]
        others = self.companies if type_ == "acquisition" and self.companies else self.all
        for _ in range(200):
            if len(chosen) == n:
                break
            source = home if rng.random() < _SAME_COUNTRY and len(home.indices) > len(chosen) else others
            candidate = source.pick(rng)
            if candidate not in chosen:
                chosen.append(candidate)
        while len(chosen) < min(n, 2):  # very few organisations: take any other
            candidate = rng.randrange(len(self.orgs))
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen

    def date(self) -> PartialDate:
        rng = self.rng
        # More agreements in later years: weight grows linearly from 1 to about 3.
        span = LAST_YEAR - FIRST_YEAR
        year = FIRST_YEAR + min(span, int((span + 1) * (-1 + (1 + 8 * rng.random()) ** 0.5) / 2))
        month = rng.randint(1, 12)
        roll = rng.random()
        if roll < 0.1:
            return PartialDate(year)
        if roll < 0.42:
            return PartialDate(year, month)
        return PartialDate(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))

    def roles(self, type_: str, n: int) -> list[str | None]:
        if type_ == "funding":
            return ["funder"] + ["recipient"] * (n - 1)
        if type_ == "acquisition":
            return ["acquirer", "target"]
        if type_ == "membership":
            return ["network"] + ["member"] * (n - 1)
        if n > 2 and self.rng.random() < 0.5:
            return ["coordinator"] + [None] * (n - 1)
        return [None] * n

    def title(self, type_: str, parties: list[Organization]) -> str:
        names = [p.name for p in parties]
        if len(names) > 3:
            listed = f"{names[0]}, {names[1]} and {len(names) - 2} others"
        else:
            listed = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        return f"{_TYPE_LABELS[type_]} between {listed}"

    # -- one agreement -----------------------------------------------------------

    def make(self, count: int) -> list[Agreement]:
        rng = self.rng
        for number in range(1, count + 1):
            if self.renewable and rng.random() < 0.03:
                self.renewal(number)
                continue
            type_ = rng.choices(self.types, cum_weights=self.type_cum)[0]
            chosen = self.parties(type_, self.size(type_))
            self.add(number, type_, chosen, self.date(), None)
        return self.made

    def renewal(self, number: int) -> None:
        position = self.renewable.pop(_zipf_index(self.rng, len(self.renewable), 1.0))
        earlier = self.made[position]
        years = int(earlier.term[1:-1])
        signed = earlier.signed
        year = signed.year + years
        day = min(signed.day, 28) if signed.day else None
        renewed = PartialDate(year, signed.month, day)
        chosen = [self.position[p] for p in self.party_ids[position]]
        self.add(number, earlier.type, chosen, renewed, self.final_ids[position])

    def add(self, number: int, type_: str, chosen: list[int], when: PartialDate, renews: str | None) -> None:
        rng = self.rng
        orgs = [self.orgs[i] for i in chosen]
        refs = [self.ref(i) for i in chosen]
        roles = self.roles(type_, len(chosen))
        parties = [
            _build(Party, organization=ref, role=role) if role else _build(Party, organization=ref)
            for ref, role in zip(refs, roles)
        ]
        signed, announced = when, None
        roll = rng.random()
        if renews is None and roll < 0.08:
            signed, announced = None, PartialDate(when.year, when.month or rng.randint(1, 12), when.day or rng.randint(1, 28))
        elif when.day is not None and roll < 0.4:
            later = dt.date(when.year, when.month, when.day) + dt.timedelta(days=rng.randint(0, 14))  # type: ignore[arg-type]
            announced = PartialDate(later.year, later.month, later.day)
        on = signed or announced
        term = end = status = None
        roll = rng.random() if type_ != "acquisition" else 1.0  # an acquisition has no term
        if roll < 0.35:
            term = f"P{rng.choice((2, 3, 3, 5, 5, 5))}Y"
        elif roll < 0.5:
            end = PartialDate(on.year + rng.randint(1, 5), on.month, min(on.day, 28) if on.day else None)  # type: ignore[union-attr]
        if end is not None:
            status = "expired" if end.year <= LAST_YEAR else "active"
        elif rng.random() < 0.2:
            status = "active"
        signatories = []
        if rng.random() < 0.3:
            for org, ref in zip(orgs[:3], refs):
                signatories.append(_build(
                    Signatory,
                    name=f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
                    title=rng.choice(_SIGNATORY_TITLES[org.kind]),
                    on_behalf_of=ref if rng.random() < 0.5 else org.id,
                ))
        party_ids = tuple(sorted(org.id for org in orgs))
        agreement_id: str | None = f"agr-{number:07d}"
        if rng.random() < 0.25:  # no id: the loader derives one, which must not repeat
            derived = derive_agreement_id(type_, list(party_ids), on)
            if derived not in self.ids:
                agreement_id = None
                self.ids.add(derived)
        sources = [self.source(number, orgs, type_, on, announced)]
        if agreement_id is not None and rng.random() < 0.05:
            sources.append(_build(
                Source,
                title=f"{orgs[-1].name} announces {_TYPE_LABELS[type_].lower()}",
                publisher=orgs[-1].name, url=f"https://www.{orgs[-1].id}.example/news/{number}",
            ))
        fields = dict(
            id=agreement_id, type=type_, parties=parties, signatories=signatories, signed=signed,
            announced=announced, end=end, term=term, status=status,
            scope=rng.sample(_TOPICS, rng.randint(1, 3)) if rng.random() < 0.6 else [],
            activities=rng.sample(_ACTIVITIES, rng.randint(1, 3)) if rng.random() < 0.3 else [],
            renews=renews, sources=sources,
        )
        if rng.random() < 0.7:
            fields["title"] = self.title(type_, orgs)
        agreement = _build(Agreement, **{k: v for k, v in fields.items() if v is not None})
        self.made.append(agreement)
        self.party_ids.append(party_ids)
        # Renewals link by id: the given one, or the one the loader will derive.
        self.final_ids.append(agreement_id or derive_agreement_id(type_, list(party_ids), on))
        if term and signed is not None and signed.year + int(term[1:-1]) <= LAST_YEAR:
            self.renewable.append(len(self.made) - 1)

    def source(self, number: int, orgs: list[Organization], type_: str, on: PartialDate,
               announced: PartialDate | None) -> Source:
        publisher = orgs[0]
        word = self.rng.choice(_PUBLISHER_WORDS)
        return _build(
            Source,
            title=f"{publisher.name} signs {_TYPE_LABELS[type_].lower()} with "
                  + (orgs[1].name if len(orgs) == 2 else f"{len(orgs) - 1} partners"),
            publisher=publisher.name,
            url=f"https://{word}.{publisher.id}.example/{number}",
            published=announced or on,
        )
