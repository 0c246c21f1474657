"""Names -> organisation ids (issue 2, point 4): matching keys, and a resolver that never guesses.

Expected keys and ids are worked out by hand from the rules in loaders/resolve.py's
docstrings; accent folding is checked against pycountry's own ``remove_accents``.
"""

import string

import pycountry
import pytest
from clusterkg.loaders.resolve import (
    AmbiguousOrganization,
    Resolver,
    UnknownOrganization,
    normalize_name,
)
from clusterkg.model.dates import PartialDate
from clusterkg.model.records import Organization
from hypothesis import assume, given, settings
from hypothesis import strategies as st


def org(id_, name, **fields):
    fields.setdefault("kind", "cluster")
    fields.setdefault("country", "GB")
    return Organization(id=id_, name=name, **fields)


def day(text):
    return PartialDate.parse(text)


# -- normalize_name --------------------------------------------------------------


@pytest.mark.parametrize("variant", [
    "LINK-J", "link-j", "Link J", "LINK J", "link  j", " LINK.J ", "LINK‐J", "(LINK/J)", "ＬＩＮＫ－Ｊ", "The LINK-J",
    "the link-j", "THE LINK-J Co., Ltd.",
])
def test_case_punctuation_full_width_and_a_leading_the_are_ignored(variant):
    assert normalize_name(variant) == "link j"


@pytest.mark.parametrize(("written", "plain"), [
    ("Universität Zürich", "Universitat Zurich"),
    ("Île-de-France Région", "Ile-de-France Region"),
    ("São Paulo Research Foundation", "Sao Paulo Research Foundation"),
    ("Université catholique de Louvain", "UNIVERSITE CATHOLIQUE DE LOUVAIN"),
    ("Karolinska Institutet Straße", "karolinska institutet strasse"),  # casefold: ß is ss
    ("Københavns Universitet", "KØBENHAVNS UNIVERSITET"),  # ø is a letter: only its case is folded
])
def test_accents_are_ignored(written, plain):
    assert normalize_name(written) == normalize_name(plain)


@pytest.mark.parametrize("name", ["Københavns Universitet", "Øresund", "Łódź", "Ærø", "São Paulo", "Zürich"])
def test_accent_folding_is_pycountrys(name):
    # pycountry.remove_accents drops what NFKD splits off (é, ü, ó) and keeps
    # letters of their own (ø, æ, ł); normalize_name folds the same way.
    assert normalize_name(name) == normalize_name(pycountry.remove_accents(name))


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F), max_size=30))
def test_accent_folding_is_pycountrys_for_any_latin_text(text):
    folded = pycountry.remove_accents(text)
    # a text of marks alone folds to nothing, which normalize_name never gives for non-blank input
    assume(folded.strip() or not text.strip())
    assert normalize_name(text) == normalize_name(folded)


@pytest.mark.parametrize("name", [
    "Acme Inc.", "Acme, Inc.", "Acme Incorporated", "Acme Corp.", "Acme Corporation", "Acme Ltd", "Acme Ltd.",
    "Acme Limited", "Acme GmbH", "Acme plc", "Acme PLC", "Acme P.L.C.", "Acme K.K.", "Acme KK", "Acme Co., Ltd.",
    "Acme Co Ltd", "Acme & Co.", "Acme GmbH & Co. KG", "Acme AG", "Acme S.A.", "Acme e.V.", "Acme LLC",
    "Acme B.V.", "Kabushiki Kaisha Acme", "Acme Kabushiki Kaisha", "株式会社Acme", "Acme株式会社", "株式会社 Acme",
    "Acme 株式会社", "(株)Acme", "The Acme Company Limited", "The Acme Co., Ltd.", "Acme Ltd. Ltd.", "Acme Ltd &",
])
def test_legal_forms_are_ignored(name):
    assert normalize_name(name) == "acme"


def test_japanese_legal_forms_before_or_after_the_name():
    assert normalize_name("武田薬品工業株式会社") == normalize_name("株式会社武田薬品工業") == "武田薬品工業"
    assert normalize_name("一般社団法人ライフサイエンス・イノベーション・ネットワーク・ジャパン") == (
        "ライフサイエンス イノベーション ネットワーク ジャパン"
    )


@pytest.mark.parametrize(("name", "key"), [
    ("The Company", "company"),
    ("Company", "company"),
    ("The", "the"),
    ("THE", "the"),
    ("Ltd", "ltd"),
    ("Ltd.", "ltd"),
    ("GmbH", "gmbh"),
    ("Inc.", "inc"),
    ("Co., Ltd.", "co"),
    ("The Ltd", "the"),
    ("The The Ltd.", "the"),
    ("株式会社", "株式会社"),
    ("K.K.", "k k"),
    ("&", "&"),
    ("...", "..."),
])
def test_never_normalised_down_to_nothing(name, key):
    assert normalize_name(name) == key


@pytest.mark.parametrize(("name", "key"), [
    ("Ltd Cambridge", "ltd cambridge"),  # Latin legal forms only at the end
    ("Inc Research Partners", "inc research partners"),
    ("AG Biotech Hub", "ag biotech hub"),
    ("Corporation for Public Broadcasting", "corporation for public broadcasting"),
    ("Limited Edition Ltd", "limited edition"),  # the first 'limited' is part of the name
    ("Agency for Science, Technology and Research", "agency for science technology and research"),
    ("East India Company", "east india company"),  # 'Company' alone is not a legal form
    ("Procter & Gamble Co.", "procter gamble co"),  # nor 'Co.' without another form or '&'
    ("Theranos", "theranos"),  # 'the' is stripped as a word only
    ("Corpus Christi College", "corpus christi college"),
    ("Incyte", "incyte"),
    ("Plcbio", "plcbio"),
    ("Cobalt Ltd", "cobalt"),
    ("Johnson & Johnson", "johnson johnson"),
])
def test_words_that_only_look_like_legal_forms_are_kept(name, key):
    assert normalize_name(name) == key


def test_different_names_stay_apart():
    # kana voicing marks and Thai/Devanagari vowel signs are part of the letters
    assert normalize_name("カタパルト") != normalize_name("ガタパルト")
    assert normalize_name("กิน") != normalize_name("กัน")
    assert normalize_name("हिन्दी") != normalize_name("हन्दी")
    assert normalize_name("Cell Therapy Catapult") != normalize_name("Cell and Gene Therapy Catapult")


# Property tests. What holds, exactly:
#  * normalize_name never raises, on any text;
#  * it is idempotent: normalize_name(normalize_name(x)) == normalize_name(x), for all x;
#  * it returns "" only for blank text (empty or whitespace);
#  * the key has no leading, trailing or doubled spaces;
#  * case and the punctuation between words do not change the key.

@settings(max_examples=500)
@given(st.text())
def test_any_text_gives_a_key_that_is_its_own_key(text):
    key = normalize_name(text)
    assert isinstance(key, str)
    assert normalize_name(key) == key
    assert (key == "") == (text.strip() == "")
    assert key == " ".join(key.split())


_LEGALISH = st.sampled_from(
    "the The THE & and Co Co. Company Ltd Ltd. Inc. Corp GmbH AG SA S.A. S A K.K. KK Kabushiki Kaisha e.V. plc "
    "株式会社 株 有限会社 タカラ Acme Zürich Øresund i - , . ´".split()
)


@settings(max_examples=500)
@given(st.lists(_LEGALISH, max_size=7).map(" ".join))
def test_names_made_of_legal_forms_are_idempotent_and_never_empty(text):
    key = normalize_name(text)
    assert normalize_name(key) == key
    assert (key == "") == (text.strip() == "")


_WORD = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=8)


@given(st.lists(_WORD, min_size=1, max_size=5), st.sampled_from([" ", ", ", " - ", ".", "/", "  "]))
def test_case_and_separators_do_not_matter(words, separator):
    assert normalize_name(" ".join(words)) == normalize_name(separator.join(w.swapcase() for w in words))


# -- the resolver ----------------------------------------------------------------

ORGS = [
    org("link-j", "Life Science Innovation Network Japan", aliases=["LINK-J"], country="JP",
        names={"ja": "一般社団法人ライフサイエンス・イノベーション・ネットワーク・ジャパン"}),
    org("kanagawa-prefecture", "Kanagawa Prefecture", names={"ja": "神奈川県"}, kind="government", country="JP",
        region="JP-14"),
    org("medcity", "MedCity"),
    org("one-nucleus", "One Nucleus"),
    org("takeda", "Takeda Pharmaceutical Company Limited", aliases=["Takeda"], kind="company", country="JP",
        names={"ja": "武田薬品工業株式会社"}),
    # "UCL" is both: the resolver must not choose
    org("ucl", "University College London", aliases=["UCL"], kind="university"),
    org("uclouvain", "Université catholique de Louvain", aliases=["UCLouvain", "UCL"], kind="university",
        country="BE"),
]


@pytest.fixture(scope="module")
def resolver():
    resolver = Resolver(ORGS)
    assert resolver.problems == []
    return resolver


@pytest.mark.parametrize(("reference", "expected"), [
    ("link-j", "link-j"),  # id
    ("  link-j ", "link-j"),
    ("Life Science Innovation Network Japan", "link-j"),  # name
    ("life science innovation network japan", "link-j"),
    ("LINK-J", "link-j"),  # alias
    ("The LINK-J", "link-j"),
    ("神奈川県", "kanagawa-prefecture"),  # name in another language
    ("ライフサイエンス・イノベーション・ネットワーク・ジャパン", "link-j"),  # ... without its legal form
    ("Kanagawa prefecture", "kanagawa-prefecture"),
    ("Takeda Pharmaceutical Co., Ltd.", "takeda"),  # the name without its legal form, with another
    ("Takeda Pharmaceutical", "takeda"),
    ("武田薬品工業", "takeda"),
    ("UCLouvain", "uclouvain"),
    ("Universite Catholique de Louvain", "uclouvain"),
])
def test_resolves_by_id_name_alias_and_other_language_name(resolver, reference, expected):
    assert resolver.resolve(reference) == expected
    assert resolver.resolve(reference, day("2020-09-18")) == expected  # no rename: the date changes nothing


def test_unknown_name_lists_the_three_closest_known_names(resolver):
    with pytest.raises(UnknownOrganization) as caught:
        resolver.resolve("Kanagawa Pref")
    error = caught.value
    assert error.reference == "Kanagawa Pref"
    assert len(error.suggestions) == 3
    assert error.suggestions[0] == ("Kanagawa Prefecture", "kanagawa-prefecture")
    assert len({id_ for _, id_ in error.suggestions}) == 3  # one name per organisation
    message = str(error)
    assert message.startswith("unknown organisation 'Kanagawa Pref'; closest known: 'Kanagawa Prefecture' "
                              "(kanagawa-prefecture), ")
    for name, id_ in error.suggestions:
        assert f"'{name}' ({id_})" in message


def test_closest_names_for_a_misspelling(resolver):
    with pytest.raises(UnknownOrganization) as caught:
        resolver.resolve("Medicity")
    assert caught.value.suggestions[0] == ("MedCity", "medcity")
    with pytest.raises(UnknownOrganization) as caught:
        resolver.resolve("Life Science Network")
    assert caught.value.suggestions[0] == ("Life Science Innovation Network Japan", "link-j")


def test_fewer_than_three_organisations_give_fewer_suggestions():
    resolver = Resolver([org("medcity", "MedCity"), org("one-nucleus", "One Nucleus", aliases=["ON"])])
    with pytest.raises(UnknownOrganization) as caught:
        resolver.resolve("Nowhere")
    assert sorted(id_ for _, id_ in caught.value.suggestions) == ["medcity", "one-nucleus"]


def test_an_unknown_id_is_an_unknown_name(resolver):
    with pytest.raises(UnknownOrganization) as caught:
        resolver.resolve("link-k")
    assert caught.value.suggestions[0][1] == "link-j"


def test_a_name_shared_by_two_organisations_is_ambiguous(resolver):
    for reference, on in (("UCL", None), ("ucl.", None), ("UCL", day("2019"))):
        with pytest.raises(AmbiguousOrganization) as caught:
            resolver.resolve(reference, on)
        error = caught.value
        assert sorted(id_ for _, id_ in error.candidates) == ["ucl", "uclouvain"]
        assert "'University College London' (ucl)" in str(error)
        assert "'Université catholique de Louvain' (uclouvain)" in str(error)
        assert "use the id" in str(error)


def test_an_exact_id_is_taken_as_it_is(resolver):
    # "ucl" is written as the id, "UCL" is not: ids are exact, so that
    # normalised records (which hold ids) always load again
    assert resolver.resolve("ucl") == "ucl"
    with pytest.raises(AmbiguousOrganization):
        resolver.resolve("UCL")


def test_names_that_become_the_same_key_are_ambiguous():
    resolver = Resolver([org("acme-uk", "Acme Ltd"), org("acme-de", "Acme GmbH", country="DE")])
    with pytest.raises(AmbiguousOrganization) as caught:
        resolver.resolve("Acme Ltd")  # written exactly as one of them, but its key is both
    assert {id_ for _, id_ in caught.value.candidates} == {"acme-uk", "acme-de"}


def test_duplicate_ids_are_reported():
    resolver = Resolver([org("medcity", "MedCity"), org("medcity", "Another MedCity")])
    assert resolver.problems == [("medcity", "duplicate id; this record is ignored")]
    assert resolver.resolve("MedCity") == "medcity"
    with pytest.raises(UnknownOrganization):
        resolver.resolve("Another MedCity")


# -- renames ---------------------------------------------------------------------

OLD = org("cell-therapy-catapult", "Cell Therapy Catapult", kind="research-institute")


def new(renamed="2016", **fields):
    fields.setdefault("predecessor", "cell-therapy-catapult")
    fields.setdefault("aliases", ["CGT Catapult"])
    return org("cgt-catapult", "Cell and Gene Therapy Catapult", kind="research-institute", renamed=renamed, **fields)


@pytest.fixture
def catapults():
    resolver = Resolver([OLD, new(), *ORGS])
    assert resolver.problems == []
    return resolver


@pytest.mark.parametrize(("reference", "on", "expected"), [
    ("Cell Therapy Catapult", "2015", "cell-therapy-catapult"),
    ("Cell Therapy Catapult", "2015-11", "cell-therapy-catapult"),  # the Kanagawa MoU
    ("Cell Therapy Catapult", "2017-10", "cgt-catapult"),  # the old name after the rename: followed
    ("Cell and Gene Therapy Catapult", "2015-11", "cell-therapy-catapult"),  # the new name before it
    ("CGT Catapult", "2015-12-02", "cell-therapy-catapult"),
    ("CGT Catapult", "2018", "cgt-catapult"),
    ("Cell and Gene Therapy Catapult", "2017-01-01", "cgt-catapult"),
    ("Cell Therapy Catapult", None, "cell-therapy-catapult"),  # no date: the one that bears the name
    ("CGT Catapult", None, "cgt-catapult"),
    ("cgt-catapult", "2015", "cgt-catapult"),  # an id is taken as it is, renames not followed
    ("cell-therapy-catapult", "2020", "cell-therapy-catapult"),
])
def test_renames_are_followed_by_date(catapults, reference, on, expected):
    assert catapults.resolve(reference, day(on) if on else None) == expected


@pytest.mark.parametrize("on", ["2016", "2016-03", "2016-01-01", "2016-12-30"])
def test_a_date_that_straddles_the_rename_is_ambiguous(catapults, on):
    # renamed "2016": any day of 2016 but the last may fall either side of it
    for reference in ("Cell Therapy Catapult", "CGT Catapult"):
        with pytest.raises(AmbiguousOrganization) as caught:
            catapults.resolve(reference, day(on))
        assert sorted(caught.value.candidates) == [
            ("Cell Therapy Catapult", "cell-therapy-catapult"),
            ("Cell and Gene Therapy Catapult", "cgt-catapult"),
        ]
        message = str(caught.value)
        assert f"on {on} is ambiguous" in message and "renamed" in message and "in 2016" in message


def test_the_last_day_of_the_rename_year_is_after_it(catapults):
    assert catapults.resolve("Cell Therapy Catapult", day("2016-12-31")) == "cgt-catapult"
    assert catapults.resolve("CGT Catapult", day("2015-12-31")) == "cell-therapy-catapult"


@pytest.mark.parametrize(("on", "expected"), [
    ("2016-03", "cell-therapy-catapult"),
    ("2016-04-14", "cell-therapy-catapult"),
    ("2016-04-15", "cgt-catapult"),  # the day of the rename is after it
    ("2016-05", "cgt-catapult"),
    ("2016-04", None),  # April may be either side of 15 April
    ("2016", None),
])
def test_a_rename_known_to_the_day(on, expected):
    resolver = Resolver([OLD, new(renamed="2016-04-15")])
    if expected is None:
        with pytest.raises(AmbiguousOrganization, match="on 2016-04-15"):
            resolver.resolve("Cell Therapy Catapult", day(on))
    else:
        assert resolver.resolve("Cell Therapy Catapult", day(on)) == expected
        assert resolver.resolve("Cell and Gene Therapy Catapult", day(on)) == expected


def test_only_the_new_record_with_the_old_name_as_alias():
    resolver = Resolver([new(predecessor=None, renamed=None, aliases=["CGT Catapult", "Cell Therapy Catapult"])])
    assert resolver.problems == []
    for reference in ("Cell Therapy Catapult", "Cell and Gene Therapy Catapult", "CGT Catapult"):
        for on in ("2015", "2016", "2018"):
            assert resolver.resolve(reference, day(on)) == "cgt-catapult"


def test_a_predecessor_that_is_not_in_the_data_is_reported():
    resolver = Resolver([new(predecessor="Cell Therapy Catapult")])
    ((org_id, message),) = resolver.problems
    assert org_id == "cgt-catapult"
    assert message.startswith("predecessor: unknown organisation 'Cell Therapy Catapult'")
    assert resolver.resolve("Cell and Gene Therapy Catapult", day("2015")) == "cgt-catapult"  # link ignored


def test_the_new_record_may_keep_the_old_name_as_an_alias():
    # its predecessor, written by that name, is the other organisation: none is its own predecessor
    newer = new(predecessor="Cell Therapy Catapult", aliases=["CGT Catapult", "Cell Therapy Catapult"])
    resolver = Resolver([OLD, newer])
    assert resolver.problems == []
    assert resolver.resolve("Cell Therapy Catapult", day("2015-11")) == "cell-therapy-catapult"
    assert resolver.resolve("Cell Therapy Catapult", day("2017")) == "cgt-catapult"
    with pytest.raises(AmbiguousOrganization, match="give a date to choose by the rename date"):
        resolver.resolve("Cell Therapy Catapult")  # names both, and no date to choose by


def test_an_undated_rename_is_not_followed():
    resolver = Resolver([OLD, new(renamed=None)])  # predecessor known, date not
    assert resolver.problems == []
    assert resolver.resolve("Cell Therapy Catapult", day("2020")) == "cell-therapy-catapult"
    assert resolver.resolve("CGT Catapult", day("2010")) == "cgt-catapult"
    # a name both bear cannot be placed by a date either
    both = Resolver([OLD, new(renamed=None, aliases=["CGT Catapult", "Cell Therapy Catapult"])])
    with pytest.raises(AmbiguousOrganization, match="the rename has no date"):
        both.resolve("Cell Therapy Catapult", day("2020"))


def test_a_chain_of_renames():
    chain = [
        org("a", "Alpha Bio"),
        org("b", "Beta Bio", predecessor="a", renamed="2010"),
        org("c", "Gamma Bio", predecessor="Beta Bio", renamed="2016-06"),
    ]
    resolver = Resolver(chain)
    assert resolver.problems == []
    assert resolver.resolve("Alpha Bio", day("2018")) == "c"
    assert resolver.resolve("Alpha Bio", day("2012")) == "b"
    assert resolver.resolve("Gamma Bio", day("2005")) == "a"
    assert resolver.resolve("Gamma Bio", day("2012")) == "b"
    assert resolver.resolve("Beta Bio", day("2016-07")) == "c"
    with pytest.raises(AmbiguousOrganization, match="'Beta Bio' \\(b\\) was renamed 'Gamma Bio' \\(c\\) in 2016-06"):
        resolver.resolve("Alpha Bio", day("2016"))
    assert resolver.current("a", day("2020")) == "c"
    assert resolver.current("c", day("2009")) == "a"
    with pytest.raises(UnknownOrganization):
        resolver.current("d", day("2009"))


def test_a_cycle_of_renames_is_reported():
    resolver = Resolver([
        org("a", "Alpha Bio", predecessor="b", renamed="2010"),
        org("b", "Beta Bio", predecessor="a", renamed="2012"),
    ])
    ((org_id, message),) = resolver.problems
    assert org_id == "b" and "cycle of renames (b -> a -> b)" in message
    # the link that closes the cycle is left out; the other one (b renamed a in 2010) holds
    assert resolver.resolve("Beta Bio", day("2015")) == "a"
    assert resolver.resolve("Alpha Bio", day("2005")) == "b"


def test_an_organisation_that_is_its_own_predecessor_is_reported():
    resolver = Resolver([org("a", "Alpha Bio", predecessor="Alpha Bio", renamed="2010")])
    ((org_id, message),) = resolver.problems
    assert org_id == "a" and "cycle of renames (a -> a)" in message
    assert resolver.resolve("Alpha Bio", day("2000")) == "a"


def test_two_successors_of_one_organisation_are_reported():
    resolver = Resolver([
        OLD,
        new(),
        org("other-catapult", "Other Catapult", predecessor="cell-therapy-catapult", renamed="2018"),
    ])
    ((org_id, message),) = resolver.problems
    assert org_id == "other-catapult" and "already renamed to cgt-catapult" in message


def test_an_ambiguous_predecessor_is_reported():
    resolver = Resolver([*ORGS, org("ucl-2", "UCL Business", predecessor="UCL", renamed="2010")])
    ((org_id, message),) = resolver.problems
    assert org_id == "ucl-2" and message.startswith("predecessor: 'UCL' is ambiguous")
