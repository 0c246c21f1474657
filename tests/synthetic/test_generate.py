"""The synthetic data generator: deterministic, realistic, and always valid input."""

import collections
import json

import pycountry
import pytest
from click.testing import CliRunner

from clusterkg.cli import main
from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.resolve import normalize_name
from clusterkg.model.records import AGREEMENT_TYPES, ORG_KINDS
from clusterkg.synthetic import generate as synthetic
from clusterkg.synthetic.generate import (
    COUNTRIES,
    FIRST_YEAR,
    LAST_YEAR,
    generate,
    write_generated,
)

ORGS, AGREEMENTS, SEED = 300, 900, 11


@pytest.fixture(scope="module")
def data():
    return generate(ORGS, AGREEMENTS, SEED)


@pytest.fixture(scope="module")
def loaded(data, tmp_path_factory):
    """The generated data written as CSV and loaded back through the validating loaders."""
    folder = write_generated(data, tmp_path_factory.mktemp("gen") / "csv", "csv")
    return load_dataset([folder])


def dump(gen):
    return [record.to_dict() for record in gen.records()]


def test_same_seed_same_data_and_files(data, tmp_path):
    again = generate(ORGS, AGREEMENTS, SEED)
    assert dump(again) == dump(data)
    first, second = write_generated(data, tmp_path / "a", "csv"), write_generated(again, tmp_path / "b", "csv")
    for name in ("organizations.csv", "agreements.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_another_seed_other_data(data):
    other = generate(ORGS, AGREEMENTS, SEED + 1)
    assert dump(other) != dump(data)
    assert [o.name for o in other.organizations] != [o.name for o in data.organizations]


@pytest.mark.parametrize("fmt", ["csv", "yaml", "json", "jsonl"])
def test_written_data_loads_with_no_problem(data, tmp_path, fmt):
    target = write_generated(data, tmp_path / "out", fmt)
    assert target == (tmp_path / "out" if fmt == "csv" else tmp_path / "out" / f"synthetic.{fmt}")
    ds = load_dataset([target])
    assert [str(p) for p in ds.problems] == []
    assert (len(ds.organizations), len(ds.agreements)) == (ORGS, AGREEMENTS)


def test_loaded_records_are_the_generated_ones(data, loaded):
    assert set(loaded.organizations) == {o.id for o in data.organizations}
    given = {a.id for a in data.agreements if a.id is not None}
    assert given < set(loaded.agreements)  # the rest got derived ids
    assert sum(a.id is None for a in data.agreements) > 0.1 * AGREEMENTS


def test_tiny_and_empty_sets_are_valid(tmp_path):
    for orgs, agreements in ((2, 6), (3, 0), (0, 0), (25, 80)):
        gen = generate(orgs, agreements, seed=3)
        ds = load_dataset([write_generated(gen, tmp_path / f"{orgs}-{agreements}", "jsonl")] if len(gen) else [])
        assert ds.problems == [] and (len(ds.organizations), len(ds.agreements)) == (orgs, agreements)
    with pytest.raises(ValueError, match="two organisations"):
        generate(1, 1, seed=0)


def test_names_and_aliases_are_unique_after_normalisation(data):
    keys = collections.Counter(
        normalize_name(name) for org in data.organizations for name in {normalize_name(n): n for n in org.all_names()}.values()
    )
    assert keys.most_common(1)[0][1] == 1
    assert sum(bool(org.aliases) for org in data.organizations) > 0.1 * ORGS


def test_weights_cover_every_type_and_kind():
    assert set(synthetic.TYPE_WEIGHTS) == set(AGREEMENT_TYPES)
    assert set(synthetic.KIND_ACTIVITY) == set(ORG_KINDS)
    assert set(synthetic.KIND_WEIGHTS) | {"cluster"} == set(ORG_KINDS)


def test_countries_and_regions_are_real_iso_codes():
    assert len(COUNTRIES) == 40
    assert len({c.code for c in COUNTRIES}) == 40
    for country in COUNTRIES:
        assert pycountry.countries.get(alpha_2=country.code) is not None, country.code
        for code, _name in country.regions:
            sub = pycountry.subdivisions.get(code=code)
            assert sub is not None and sub.country_code == country.code, code


def test_places_kinds_and_clusters(data):
    orgs = data.organizations
    assert all(o.region is None or o.region.startswith(o.country + "-") for o in orgs)
    assert len({o.country for o in orgs}) >= 20
    kinds = collections.Counter(o.kind for o in orgs)
    assert set(kinds) <= set(ORG_KINDS) and {"cluster", "government", "university", "company", "agency"} <= set(kinds)
    assert kinds.most_common(1)[0][0] == "company"
    clusters = [o for o in orgs if o.kind == "cluster"]
    assert len({o.region for o in clusters}) == len(clusters)  # the first clusters go one per region


def test_agreement_types_parties_and_sources(loaded):
    agreements = list(loaded.agreements.values())
    types = collections.Counter(a.type for a in agreements)
    assert set(types) == set(AGREEMENT_TYPES)
    assert types.most_common(1)[0][0] == "mou" and types["mou"] > 0.35 * AGREEMENTS
    sizes = collections.Counter(len(a.parties) for a in agreements)
    assert min(sizes) == 2 and sum(n for size, n in sizes.items() if size > 2) > 0.05 * AGREEMENTS
    assert all(a.sources for a in agreements)
    assert any(len(a.sources) > 1 for a in agreements)
    assert any(a.signatories for a in agreements) and any(a.renews for a in agreements)


def test_degrees_are_heavy_tailed(loaded):
    # If every party were drawn uniformly, a degree would be about Poisson(mean ~7): the top
    # 1% (3 organisations) would hold about 2% of the party slots and the busiest would
    # have about twice the median. The generator draws parties in proportion to a
    # Pareto-distributed activity, so a few hubs hold far more: at least 5% of the slots
    # (five times their fair share), and the busiest ten times the median. (Seeds 0-7
    # give 8-19% and 14-40 times.)
    degree = collections.Counter(p.organization for a in loaded.agreements.values() for p in a.parties)
    ranked = sorted(degree.values(), reverse=True)
    slots = sum(ranked)
    top = ranked[: max(1, ORGS // 100)]
    assert sum(top) / slots > 0.05
    assert ranked[0] >= 10 * ranked[len(ranked) // 2]


def test_dates_span_fifteen_years_in_three_precisions(loaded):
    dates = [a.date for a in loaded.agreements.values()]
    assert all(d is not None for d in dates)
    years = collections.Counter(d.year for d in dates)
    assert (min(years), max(years)) == (FIRST_YEAR, LAST_YEAR) and LAST_YEAR - FIRST_YEAR == 14
    assert years[LAST_YEAR] > years[FIRST_YEAR]  # more agreements in later years
    precisions = collections.Counter(d.precision for d in dates)
    assert set(precisions) == {"year", "month", "day"} and min(precisions.values()) > 0.05 * AGREEMENTS


def test_about_one_reference_in_ten_is_by_name(data, loaded):
    ids = {o.id for o in data.organizations}
    refs = [p.organization for a in data.agreements for p in a.parties]
    by_name = [ref for ref in refs if ref not in ids]
    assert 0.05 < len(by_name) / len(refs) < 0.15
    assert any(ref.isupper() for ref in by_name) and any(" " in ref for ref in by_name)
    # and every one resolved to an id
    assert all(p.organization in ids for a in loaded.agreements.values() for p in a.parties)


def test_loaded_records_share_field_sets_without_leaking_changes(loaded):
    # The loader lets alike records share their set of given fields (to save memory);
    # a change to one of them must not show in the others.
    by_set = collections.defaultdict(list)
    for agreement in loaded.agreements.values():
        by_set[id(agreement.model_fields_set)].append(agreement)
    a, b = max(by_set.values(), key=len)[:2]
    assert a.model_fields_set is b.model_fields_set and "notes" not in b.model_fields_set
    a.notes = "changed"
    assert "notes" in a.model_fields_set and "notes" not in b.model_fields_set
    copy = b.model_copy(update={"notes": "copied"})
    assert "notes" in copy.model_fields_set and "notes" not in b.model_fields_set


def test_cli_generate_then_validate(tmp_path):
    runner = CliRunner()
    out = tmp_path / "gen"
    result = runner.invoke(main, ["generate", "--orgs", "60", "--agreements", "150", "--seed", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 60 organisations and 150 agreements" in result.output
    assert {p.name for p in out.iterdir()} >= {"organizations.csv", "agreements.csv"}
    checked = runner.invoke(main, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip().splitlines()[-1].startswith("valid: 60 organizations")


def test_cli_generate_other_formats(tmp_path):
    runner = CliRunner()
    target = tmp_path / "data.json"
    result = runner.invoke(main, ["generate", "--orgs", "20", "--agreements", "40", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert (len(document["organizations"]), len(document["agreements"])) == (20, 40)

