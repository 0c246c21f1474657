"""Parameters by name, never a silent empty answer (issue 17, point 4).

Every organisation, programme, person and country parameter of ``query`` (Cypher and SPARQL),
``analyze``, ``map`` and the Python API takes an id, a name, an alias or a name in another
language; an unknown value is an error naming the closest known names. Before, ``query partners
-p org=LINK-J`` printed "(no rows)" and ``analyze --country Japan`` an empty table.
"""

from __future__ import annotations

import json
import pathlib

import pytest
from click.testing import CliRunner

import clusterkg
from clusterkg.cli import main
from clusterkg.loaders.names_index import FILE, Names

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "sample"
LINK_J_JA = "一般社団法人ライフサイエンス・イノベーション・ネットワーク・ジャパン"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "out"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def rows(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- the names index of a build ---------------------------------------------------------------


def test_the_build_writes_a_names_index_listed_in_its_manifest(built):
    manifest = json.loads((built / "clusterkg-build.json").read_text())
    assert FILE in manifest["files"] and "names" in manifest["steps"]
    names = Names.read(built / FILE)
    assert names.resolve("organization", "LINK-J") == ("link-j", None)
    assert names.resolve("programme", "RIT") == ("jetro-rit", None)


# -- query: Cypher and SPARQL -------------------------------------------------------------------


@pytest.mark.parametrize("engine", [[], ["--sparql"]], ids=["cypher", "sparql"])
@pytest.mark.parametrize("org", ["LINK-J", "link j", "Life Science Innovation Network Japan", LINK_J_JA])
def test_partners_by_alias_name_and_japanese_name_equal_partners_by_id(built, engine, org):
    by_id = rows(run("query", *engine, "partners", "-p", "org=link-j", "--graph", built, "--format", "json"))
    assert len(by_id) > 5
    assert rows(run("query", *engine, "partners", "-p", f"org={org}", "--graph", built, "--format", "json")) == by_id


@pytest.mark.parametrize("engine", [[], ["--sparql"]], ids=["cypher", "sparql"])
def test_an_unknown_organisation_is_an_error_naming_the_closest_known(built, engine):
    result = run("query", *engine, "partners", "-p", "org=LINK-X", "--graph", built)
    assert result.exit_code == 1
    assert "(no rows)" not in result.output
    assert ("query partners: parameter org (organization): unknown organisation 'LINK-X'; "
            "closest known: 'LINK-J' (link-j)") in result.stderr


def test_a_former_name_resolves_through_the_rename_with_a_note(built):
    by_id = rows(run("query", "timeline", "-p", "org=cell-therapy-catapult", "--graph", built, "--format", "json"))
    result = run("query", "timeline", "-p", "org=Cell Therapy Catapult", "--graph", built, "--format", "json")
    assert rows(result) == by_id and [r["date"] for r in by_id] == ["2015-11"]
    assert ("note: 'Cell Therapy Catapult' is cell-therapy-catapult, renamed 'Cell and Gene Therapy Catapult' "
            "(cgt-catapult) in 2016") in result.stderr
    later = rows(run("query", "partners", "-p", "org=CGT Catapult", "--graph", built, "--format", "json"))
    assert later == rows(run("query", "partners", "-p", "org=cgt-catapult", "--graph", built, "--format", "json"))


@pytest.mark.parametrize("engine", [[], ["--sparql"]], ids=["cypher", "sparql"])
def test_countries_by_english_name_and_uk_with_a_note(built, engine):
    def most(country):
        return run("query", *engine, "most_connected", "-p", f"country={country}", "--graph", built, "--format", "json")

    assert rows(most("Japan")) == rows(most("JP")) != []
    uk = most("UK")
    assert rows(uk) == rows(most("GB")) == rows(most("United Kingdom")) != []
    assert "note: 'UK' read as GB, the ISO 3166-1 code of the United Kingdom" in uk.stderr
    narnia = most("Narnia")
    assert narnia.exit_code == 1 and "'Narnia' is not an ISO 3166-1 alpha-2 country code" in narnia.stderr


@pytest.mark.parametrize("engine", [[], ["--sparql"]], ids=["cypher", "sparql"])
def test_programmes_by_name_and_alias(built, engine):
    def by(programme):
        return run("query", *engine, "agreements_by_programme", "-p", f"programme={programme}", "--graph", built,
                   "--format", "json")

    expected = rows(by("jetro-rit"))
    assert expected and rows(by("Regional Industry Tie-Up")) == rows(by("RIT")) == expected
    unknown = by("Regional Tie-Up Scheme")
    assert unknown.exit_code == 1
    assert "unknown programme 'Regional Tie-Up Scheme'; closest known: 'Regional Industry Tie-Up' (jetro-rit)" \
        in unknown.stderr


def test_rdf_query_on_record_inputs_resolves_names_too():
    result = run("rdf", "query", "partners", "-p", "org=LINK-J", "-i", SAMPLE, "--format", "json")
    assert [r["partner"] for r in rows(result)][:1] and len(rows(result)) > 5


def test_a_build_without_names_index_takes_ids_as_before(built, tmp_path):
    from clusterkg.manifest import read_manifest, write_manifest

    old = tmp_path / "old"
    old.mkdir()
    (old / "records.jsonl").write_bytes((built / "records.jsonl").read_bytes())
    manifest = read_manifest(built)
    write_manifest(old, ["records.jsonl"], inputs=manifest["inputs"], counts={}, steps=["records"])
    from clusterkg.cli._names import build_names

    assert build_names(old) is None


# -- analyze and map ------------------------------------------------------------------------------


def test_analyze_centrality_country_by_name_equals_by_code():
    by_code = run("analyze", "centrality", SAMPLE, "--country", "JP", "--format", "json")
    by_name = run("analyze", "centrality", SAMPLE, "--country", "Japan", "--format", "json")
    assert rows(by_name) == rows(by_code) != []
    uk = run("analyze", "centrality", SAMPLE, "--country", "UK", "--country", "Japan", "--format", "json")
    gb = run("analyze", "centrality", SAMPLE, "--country", "GB", "--country", "JP", "--format", "json")
    assert rows(uk) == rows(gb) and len(rows(gb)) > len(rows(by_code))
    assert "note: 'UK' read as GB" in uk.stderr
    bad = run("analyze", "centrality", SAMPLE, "--country", "Narnia")
    assert bad.exit_code == 1 and "--country 'Narnia': 'Narnia' is not an ISO 3166-1" in bad.stderr


def test_analyze_suggest_for_an_alias_and_an_unknown_name():
    by_id = rows(run("analyze", "suggest", SAMPLE, "--for", "link-j", "--format", "json"))
    assert rows(run("analyze", "suggest", SAMPLE, "--for", "LINK-J", "--format", "json")) == by_id
    japanese = run("analyze", "suggest", SAMPLE, "--for", LINK_J_JA, "--partner-country", "United States",
                   "--format", "json")
    assert rows(japanese) == rows(run("analyze", "suggest", SAMPLE, "--for", "link-j", "--partner-country", "US",
                                      "--format", "json"))
    unknown = run("analyze", "suggest", SAMPLE, "--for", "LINK-X")
    assert unknown.exit_code == 1 and "--for: unknown organisation 'LINK-X'; closest known: 'LINK-J' (link-j)" \
        in unknown.stderr


def test_analyze_timeline_org_by_name():
    by_id = rows(run("analyze", "timeline", SAMPLE, "--org", "kanagawa-prefecture", "--format", "json"))
    assert rows(run("analyze", "timeline", SAMPLE, "--org", "神奈川県", "--format", "json")) == by_id


def test_analyze_brokers_sides_by_country_name():
    by_code = rows(run("analyze", "brokers", SAMPLE, "--between", "JP", "--and", "GB", "--format", "json"))
    assert rows(run("analyze", "brokers", SAMPLE, "--between", "Japan", "--and", "UK", "--format", "json")) == by_code


def test_map_country_by_name(tmp_path):
    result = run("map", SAMPLE, "-o", tmp_path / "m.html", "--country", "Japan", "--country", "UK")
    assert result.exit_code == 0, result.output
    assert "note: 'UK' read as GB" in result.stderr


# -- the Python API -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds():
    return clusterkg.load(SAMPLE)


def test_api_brokers_and_metrics_take_country_names(ds):
    assert clusterkg.brokers(ds, "Japan", "Europe").equals(clusterkg.brokers(ds, "JP", "Europe"))
    assert clusterkg.brokers(ds, "Japan", "UK").equals(clusterkg.brokers(ds, "JP", "GB"))
    by_name = clusterkg.metrics(ds, countries=["Japan", "United Kingdom"], isolates=False)
    assert len(by_name) > 0 and by_name.equals(clusterkg.metrics(ds, countries=["JP", "GB"], isolates=False))
    with pytest.raises(clusterkg.ClusterKGError, match="Narnia"):
        clusterkg.metrics(ds, countries=["Narnia"])


def test_api_resolve(ds, built):
    assert clusterkg.resolve(ds, "LINK-J") == clusterkg.resolve(built, LINK_J_JA) == "link-j"
    assert clusterkg.resolve(ds, "RIT", "programme") == "jetro-rit"
    assert clusterkg.resolve(ds, "USA", "country") == "US"
    with pytest.raises(clusterkg.ClusterKGError, match="closest known: 'LINK-J' \\(link-j\\)"):
        clusterkg.resolve(ds, "LINK-X")


def test_run_query_takes_country_names():
    from clusterkg.graph.queries import get_query

    assert get_query("most_connected").bind({"country": "Japan"})["country"] == "JP"


def test_a_name_both_records_of_a_rename_bear_means_the_first_and_strangers_sharing_one_are_refused():
    from clusterkg.loaders.resolve import AmbiguousOrganization
    from clusterkg.model.dataset import Dataset
    from clusterkg.model.records import Organization

    ds = Dataset()
    for org in [Organization(id="ctc", name="Cell Therapy Catapult", kind="agency", country="GB"),
                Organization(id="cgt", name="Cell and Gene Therapy Catapult", aliases=["Cell Therapy Catapult"],
                             kind="agency", country="GB", predecessor="ctc", renamed="2016-03"),
                Organization(id="a", name="Bio Hub", kind="cluster", country="JP"),
                Organization(id="b", name="Bio Hub", kind="cluster", country="US")]:
        ds.organizations[org.id] = org
    for names in (Names.from_dataset(ds), Names.from_json(json.loads(json.dumps(Names.from_dataset(ds).to_json())))):
        found, note = names.resolve("organization", "cell therapy catapult")
        assert found == "ctc" and "renamed 'Cell and Gene Therapy Catapult' (cgt) in 2016-03" in note
        with pytest.raises(AmbiguousOrganization, match="'Bio Hub' is ambiguous: it names 'Bio Hub' \\(a\\), "
                                                        "'Bio Hub' \\(b\\)"):
            names.resolve("organization", "Bio Hub")
