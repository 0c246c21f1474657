"""Groups for brokerage: the built-in table of continents and world regions, and groups you name."""

from __future__ import annotations

import networkx as nx
import pycountry
import pytest
from clusterkg.graph.analysis.groups import countries_of, node_groups, parse_groups, side, world_regions
from clusterkg.model.problems import ClusterKGError


def test_every_iso_country_has_a_continent_and_a_world_region():
    table = world_regions()
    assert set(table) == {c.alpha_2 for c in pycountry.countries}
    # A few by hand, from the UN M49 table.
    assert table["JP"] == ("Asia", "Eastern Asia") and table["GB"] == ("Europe", "Northern Europe")
    assert table["DE"] == ("Europe", "Western Europe") and table["US"] == ("North America", "Northern America")
    assert table["MX"] == ("North America", "Central America") and table["BR"] == ("South America", "South America")
    assert table["SG"] == ("Asia", "South-eastern Asia") and table["AU"] == ("Oceania", "Australia and New Zealand")


def test_named_groups_take_codes_names_and_regions():
    groups = parse_groups("Japan=JP; Europe=GB, de, France, Northern Europe; North America=US,CA")
    assert groups["Japan"] == {"JP"} and {"GB", "DE", "FR", "SE", "NO"} <= groups["Europe"]
    assert groups["North America"] == {"US", "CA"}
    assert parse_groups({"Asia": ["JP", "KR"]}) == {"Asia": frozenset({"JP", "KR"})}


@pytest.mark.parametrize("text, message", [
    ("Japan=JP; Europe=GB; UK=GB", "GB is in both 'Europe' and 'UK'"),
    ("Japan=JP; Japan=KR", "named twice"),
    ("Japan JP", "write a group as Name=CODE"),
    ("Somewhere=Atlantis", "'Atlantis' is not an ISO country code"),
    ("", "no group given"),
])
def test_broken_group_specifications_are_clear_errors(text, message):
    with pytest.raises(ClusterKGError, match=message):
        parse_groups(text)


def test_node_groups_by_builtin_grouping_and_by_yours():
    g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    nx.set_node_attributes(g, {"a": "JP", "b": "GB", "c": "BR"}, "country")
    assert node_groups(g, "continent") == {"a": "Asia", "b": "Europe", "c": "South America", "d": "(unknown)"}
    assert node_groups(g, "world-region")["b"] == "Northern Europe"
    assert node_groups(g, groups="Japan=JP; Europe=GB") == {"a": "Japan", "b": "Europe", "c": "(other)",
                                                          "d": "(other)"}
    with pytest.raises(ClusterKGError, match="unknown grouping 'planet'"):
        node_groups(g, "planet")


def test_sides_of_a_question():
    assert side("jp").countries == {"JP"} and side("JP").label == "Japan"
    assert side("Europe").countries == set(countries_of("Europe"))
    assert side("Europe", groups="Japan=JP; Europe=GB,DE").countries == {"GB", "DE"}
    with pytest.raises(ClusterKGError, match="'Atlantis' is not a continent"):
        side("Atlantis")
