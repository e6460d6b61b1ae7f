"""The web view's pure parts: filters, search terms, the chart, conflicts, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from crawler.web.data_figures import Observed, mark_conflicts
from crawler.web.export import to_csv
from crawler.web.figchart import ChartPoint, figure_chart, nice_ceiling
from crawler.web.filters import AlertFilter, BadFilter, alert_filter, article_filter
from store.search import fts5_match, parse_query

D = dt.date


@pytest.mark.parametrize(("typed", "phrases"), [
    ("scam compound", (("scam",), ("compound",))),
    ('"Siem Reap" raid', (("siem", "reap"), ("raid",))),
    ('NEAR(a b) OR "x', (("near",), ("a",), ("b",), ("or",), ("x",))),
    ("*)(^:-", ()),
    ("柬埔寨 诈骗", (("柬埔寨",), ("诈骗",))),
])
def test_a_typed_query_becomes_words_and_phrases(typed: str, phrases: tuple) -> None:
    assert parse_query(typed).phrases == phrases


def test_the_fts5_query_quotes_every_phrase() -> None:
    assert fts5_match(parse_query('"Siem Reap" raid')) == '"siem reap" "raid"'


def test_filters_round_trip_through_their_query_string() -> None:
    f = alert_filter({"kind": "new_raid", "province": " Siem   Reap ", "since": "2022-10-01",
                      "page": "3"})
    assert f == AlertFilter(kind="new_raid", province="Siem Reap", since=D(2022, 10, 1), page=3)
    assert alert_filter(dict(x.split("=") for x in f.query().replace("+", " ").split("&"))) == f
    assert f.query(page=1) == "kind=new_raid&province=Siem+Reap&since=2022-10-01"
    assert not AlertFilter().active() and f.active()


@pytest.mark.parametrize("params", [{"relevant": "maybe"}, {"until": "31/12/2022"},
                                    {"q": "x" * 201}, {"page": "-1"}])
def test_bad_article_filters_say_what_to_fix(params: dict) -> None:
    with pytest.raises(BadFilter):
        article_filter(params)


@pytest.mark.parametrize(("top", "axis", "step"), [
    (368, 400, 100), (1500, 1500, 500), (2000, 2000, 500), (7, 8, 2), (0, 1, 1), (95000, 100000, 25000),
])
def test_the_y_axis_ends_on_a_round_number_above_the_top(top: float, axis: float,
                                                          step: float) -> None:
    assert nice_ceiling(top) == (axis, step)


def test_the_chart_starts_at_zero_and_draws_ranges_as_bands() -> None:
    svg = figure_chart([ChartPoint(D(2022, 9, 30), 361), ChartPoint(D(2022, 10, 12), [1000, 1500]),
                        ChartPoint(D(2022, 10, 13), 2000, conflict=True)], "rescued")
    assert svg is not None
    assert svg.count('class="band"') == 1 and svg.count('class="conflict"') == 1
    assert ">0</text>" in svg and ">2,000</text>" in svg
    assert "style=" not in svg and "<script" not in svg
    assert "30 Sep 2022" in svg and "13 Oct 2022" in svg


def test_a_chart_of_text_values_is_none_and_titles_are_escaped() -> None:
    assert figure_chart([ChartPoint(D(2022, 9, 30), "Tier 3")], "tier") is None
    svg = figure_chart([ChartPoint(D(2022, 9, 30), 5)], 'x" onload="alert(1)')
    assert svg and 'onload="' not in svg


def test_values_reported_within_two_days_that_differ_conflict() -> None:
    points = [Observed(D(2022, 10, 1), 500, True), Observed(D(2022, 10, 2), 520, True),
              Observed(D(2022, 10, 9), 520, True), Observed(D(2022, 10, 9), 100, False),
              Observed(D(2022, 10, 10), 520, True)]
    assert mark_conflicts(points) == [True, True, False, False, False]


def test_csv_cells_that_would_run_as_formulas_are_defused() -> None:
    text = to_csv([{"title": '=HYPERLINK("http://evil.example","x")', "n": -3, "tags": ["a"]},
                   {"title": "+1 more", "n": None, "extra": True}])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["title"].startswith("'=HYPERLINK") and rows[0]["n"] == "-3"
    assert rows[0]["tags"] == '["a"]' and rows[1]["title"] == "'+1 more"
    assert rows[1]["extra"] == "true" and list(rows[0]) == ["title", "n", "tags", "extra"]
