"""[seed] timezone: the zone in which an article's day (and so its relative dates) is read."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from alerts.detect import local_date, story_zone
from store.config import ConfigError, config_from_dict

EVENING_UTC = dt.datetime(2023, 4, 19, 20, 0, tzinfo=dt.UTC)


def test_the_story_zone_defaults_to_phnom_penh_and_comes_from_the_config() -> None:
    assert story_zone(config_from_dict({})) == ZoneInfo("Asia/Phnom_Penh")
    assert story_zone(config_from_dict({"seed": {"timezone": "Europe/London"}})) \
        == ZoneInfo("Europe/London")


def test_an_article_s_day_is_read_in_the_story_zone() -> None:
    assert local_date(EVENING_UTC, story_zone(config_from_dict({}))) == dt.date(2023, 4, 20)
    london = story_zone(config_from_dict({"seed": {"timezone": "Europe/London"}}))
    assert local_date(EVENING_UTC, london) == dt.date(2023, 4, 19)


def test_a_bad_story_zone_names_its_key() -> None:
    with pytest.raises(ConfigError, match=r"seed\.timezone"):
        config_from_dict({"seed": {"timezone": "Mars/Olympus"}})
