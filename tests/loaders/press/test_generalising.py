"""Kinds of extraction failure fixed in round 3 of issue 11, one test each, on sentences written
for these tests (nothing here is copied from the press-dev set)."""

from clusterkg.loaders.press.document import parse_document
from clusterkg.loaders.press.extract import Extractor
from clusterkg.model.dates import PartialDate


def found(text: str, published: str | None = None):
    doc = parse_document(text, "t.txt", published=PartialDate.parse(published) if published else None)
    return Extractor().extract(doc)


def test_a_clause_after_a_comma_is_not_a_description_to_blank():
    # ", the two ministers signed ..." follows a common word, so it is the sentence's own clause
    (moc,) = found("To deepen this friendship, the two ministers signed a memorandum of cooperation between the "
                   "Ministry of Agriculture, Nutrition and Welfare and the Federal Department of Energy and Mines.")
    assert set(moc.parties) == {"Ministry of Agriculture, Nutrition and Welfare", "Federal Department of Energy and Mines"}
    # a description after a name is still blanked
    (mou,) = found("Tern Bio, the network of marine biotech firms, signed an MoU with Osprey Labs on 3 May 2021.")
    assert set(mou.parties) == {"Tern Bio", "Osprey Labs"}


def test_a_date_is_not_taken_from_a_sentence_about_another_agreement_of_one_party():
    candidates = found("Norway and Chile have signed an MoU on fisheries research. Norway and Peru signed a "
                       "bilateral MoU on 4 April 2019 in Lima.")
    dates = {frozenset(c.parties): c.to_dict()["date"] for c in candidates}
    assert dates == {frozenset({"Norway", "Chile"}): None, frozenset({"Norway", "Peru"}): "2019-04-04"}


def test_dates_given_respectively_when_one_agreement_is_dated_already():
    candidates = found("Two MoUs were signed between Norway and Chile, and Norway and Peru. Norway and Chile signed "
                       "theirs on 3 May 2019 in Santiago. The MoUs were signed on 3 May 2019 in Santiago and on "
                       "9 June 2019 in Lima, respectively.")
    dates = {frozenset(c.parties): c.to_dict()["date"] for c in candidates}
    assert dates == {frozenset({"Norway", "Chile"}): "2019-05-03", frozenset({"Norway", "Peru"}): "2019-06-09"}


def test_an_agreement_approved_in_one_sentence_and_signed_in_the_next():
    (moc,) = found("The Council on Monday approved the Memorandum of Cooperation (MoC) between Norway and Chile "
                   "on ocean health. It was signed on 12 March this year.", published="2021-05-20")
    assert (moc.label, set(moc.parties), moc.to_dict()["date"]) == ("MoC", {"Norway", "Chile"}, "2021-03-12")
    assert not found("The Council approved the Memorandum of Cooperation between Norway and Chile. "
                     "It will be signed in June.")


def test_a_headline_that_calls_the_agreement_otherwise_gives_one_agreement_of_the_texts_type():
    (moc,) = found("Norway and Chile sign MoU on ocean health\n\nNorway and Chile signed a Memorandum of "
                   "Cooperation on ocean health on 12 March 2021.")
    assert (moc.label, set(moc.parties), moc.to_dict()["date"]) == ("MoC", {"Norway", "Chile"}, "2021-03-12")
    # two agreements of two types named in the text stay two
    both = found("Norway and Chile signed a Memorandum of Cooperation on 12 March 2021 and a Letter of Intent "
                 "on 14 March 2021.")
    assert {c.label for c in both} <= {"MoC", "LoI"}


def test_short_forms_that_skip_a_letter_or_use_inner_capitals_are_tied_to_their_long_names():
    from clusterkg.loaders.press.names import find_acronyms

    text = ("Kestrel signed an MoU with the Marine Technologies and Ocean Growth Centre (MTOConnect) and the "
            "Nordic BioOcean Society (NBOS). The MoU was signed by NBOS’s chair, Ada Lind.")
    acronyms = find_acronyms(text)
    assert acronyms["MTOConnect"] == "Marine Technologies and Ocean Growth Centre"  # no word spells the C
    assert acronyms["NBOS"] == "Nordic BioOcean Society"  # B and O from one camel-case word
    # a possessive of the short form is the same party: one agreement, not a second with "NBOS"
    candidates = found("Kestrel and the Nordic BioOcean Society (NBOS) have signed an MoU. The MoU was signed "
                       "by NBOS’s chair, Ada Lind, and Kestrel’s CEO, Bo Ek.")
    (mou,) = candidates
    assert set(mou.parties) == {"Kestrel", "Nordic BioOcean Society"}


def test_an_agreement_signed_at_a_meeting_the_text_dates_takes_its_date():
    text = ("On March 3, the president of Kestrel Institute met the mayor of Tern City in Oslo to discuss ocean "
            "research. The two talked about student exchanges. After the meeting, Kestrel Institute and Tern City "
            "signed an MoU on marine biology.")
    (mou,) = found(text, published="2022-03-10")
    assert mou.to_dict()["date"] == "2022-03-03" and mou.date_basis == "inferred"
    # without the back-reference the meeting's date is not the signing's
    (mou,) = found(text.replace("After the meeting, ", ""), published="2022-03-10")
    assert mou.to_dict()["date"] is None


def test_an_agreement_signed_during_a_trip_takes_the_month_of_the_trip():
    (other,) = found("A delegation of ten firms travelled to Chile from 14 to 21 May 2015. The delegation visited "
                     "Santiago and Valparaiso. During the trip, the firms met many partners. Kestrel Cluster and the "
                     "Tern Science Park signed a cooperation agreement.")
    assert other.to_dict()["date"] == "2015-05" and other.date_basis == "inferred"


def test_a_weekday_alone_before_a_page_date():
    from clusterkg.loaders.press.dates import find_dates

    published = PartialDate.parse("2017-05-04")  # a Thursday
    (date,) = find_dates("The two ministers agreed Wednesday to cooperate.", published)
    assert date.date == PartialDate.parse("2017-05-03")
    assert not find_dates("The office is open every Wednesday.", published)


def test_earlier_partners_given_only_as_a_list_after_an_ordinal():
    candidates = found("Kestrel Cluster and Tern Bio signed an MoU on 2 May 2022. “This is Kestrel Cluster’s fourth "
                       "agreement abroad, after Chile, Peru and Norway,” said its director.")
    earlier = {frozenset(c.parties) for c in candidates if c.earlier}
    assert earlier == {frozenset({"Kestrel Cluster", p}) for p in ("Chile", "Peru", "Norway")}
    assert all(c.to_dict()["date"] is None for c in candidates if c.earlier)
    # an ordinal without a list of partners after it names nobody
    assert len(found("Kestrel Cluster and Tern Bio signed an MoU on 2 May 2022, Kestrel Cluster’s third agreement.")) == 1


def test_a_signing_to_come_dated_a_few_sentences_later():
    text = ("Kestrel Cluster, a network of ocean firms, and Tern Bio will sign a memorandum of understanding to "
            "promote marine biotech. “We are proud of this,” said Ada Lind. “It is a big step for us.” Both sides "
            "have met twice. The signing will take place at a public event in Oslo on June 3.")
    (mou,) = found(text, published="2021-05-20")
    assert mou.to_dict()["date"] == "2021-06-03" and "announced before the signing" in mou.guesses
    assert not found(text.replace(" on June 3", ""), published="2021-05-20")  # no stated day: a plan only


def test_partners_of_plural_agreements_named_in_the_next_sentence():
    candidates = found("Kestrel Cluster, a network of ocean firms, has signed two memoranda of understanding on "
                       "15 May 2023 to grow its members abroad. The MoUs are with two organizations: the Tern "
                       "Institute, a Chile-based non-profit working with Valparaiso University, and Osprey Bio, "
                       "the largest biotech association in Peru.")
    assert {frozenset(c.parties) for c in candidates} == {frozenset({"Kestrel Cluster", "Tern Institute"}),
                                                          frozenset({"Kestrel Cluster", "Osprey Bio"})}
    assert all(c.to_dict()["date"] == "2023-05-15" and c.label == "MoU" for c in candidates)
    # with no such sentence, one named side gives nothing
    assert not found("Kestrel Cluster has signed two memoranda of understanding. Its members are pleased.")


def test_signers_named_again_by_title_and_one_word_of_their_name():
    text = ("On 4 May 2022, Kestrel Institute President Mei Tanaka met Governor Wang Lei of the Tern Provincial "
            "Government in Oslo. After the meeting, Governor Wang and President Tanaka signed the renewal of an "
            "MoU between the Tern Provincial Government and Kestrel Institute.")
    candidates = found(text)
    renewal = next(c for c in candidates if c.renewal and not c.earlier)
    assert {(s.name, s.organisation) for s in renewal.signatories} == {
        ("Wang Lei", "Tern Provincial Government"), ("Mei Tanaka", "Kestrel Institute")}
    assert renewal.to_dict()["date"] == "2022-05-04"
    # the original the renewal implies was not signed by them (nor dated by the meeting)
    (original,) = [c for c in candidates if c.earlier]
    assert not original.signatories and original.to_dict()["date"] is None
