"""The analysis commands through the real CLI: init reads the seeds, seed add,
claims --json, articles --json, alerts --json."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import main
from tests.support import SEED_JSON, SEED_TXT


def _config(tmp_path: Path, seeds: list[str]) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///cw.db"\n\n[seed]\narticles = {json.dumps(seeds)}\n')
    return path


def _run(config: Path, *args: str):
    result = CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)
    return result


def test_init_reads_the_seed_and_claims_lists_it_as_json(tmp_path: Path) -> None:
    config = _config(tmp_path, [str(SEED_TXT)])
    assert _run(config, "init").exit_code == 0
    result = _run(config, "claims", "--json")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["record"] for r in lines} == {"claim", "entity"}
    rows = [r for r in lines if r["record"] == "claim"]
    values = [r["value"] for r in rows]
    assert 368 in values and [70000, 100000] in values and "Tier 3" in values
    assert all({"key", "label", "measure", "scope", "quote", "current_value"} <= set(r)
               for r in rows)
    labels = {r["value"] if not isinstance(r["value"], list) else tuple(r["value"]): r["label"]
              for r in rows}
    assert labels[361] == "people rescued" and labels[368] == "complaints"
    assert _run(config, "init").exit_code == 0  # again: nothing duplicated
    again = [json.loads(x) for x in _run(config, "claims", "--json").stdout.splitlines()]
    assert len(again) == len(lines)


def test_claims_json_lists_the_entities_with_their_aliases(tmp_path: Path) -> None:
    config = _config(tmp_path, [str(SEED_TXT)])
    assert _run(config, "init").exit_code == 0
    lines = [json.loads(x) for x in _run(config, "claims", "--json").stdout.splitlines()]
    entities = [r for r in lines if r["record"] == "entity"]
    assert entities and all({"kind", "name", "aliases"} <= set(r) for r in entities)
    assert all(isinstance(r["aliases"], list) for r in entities)
    people = {r["name"] for r in entities if r["kind"] == "person"}
    assert {"Sar Kheng", "Sok Phal"} <= people
    assert all({"key", "value"} <= set(r) for r in lines if r["record"] == "claim")


def test_seed_add_prints_claims_and_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    config = _config(tmp_path, [])
    assert _run(config, "init").exit_code == 0
    result = _run(config, "seed", "add", str(SEED_JSON))
    assert result.exit_code == 0 and "368" in result.stdout
    missing = _run(config, "seed", "add", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr


def test_init_reads_the_seeds_it_can_and_names_the_failure(tmp_path: Path) -> None:
    config = _config(tmp_path, [str(tmp_path / "missing.txt"), str(SEED_TXT)])
    result = _run(config, "init")
    assert result.exit_code == 1 and "could not be read" in result.stderr
    rows = [json.loads(x) for x in _run(config, "claims", "--json").stdout.splitlines()]
    assert len([r for r in rows if r["record"] == "claim"]) >= 9


def test_a_second_retelling_of_the_seed_adds_no_duplicate_claims(tmp_path: Path) -> None:
    config = _config(tmp_path, [str(SEED_TXT), str(SEED_JSON)])
    assert _run(config, "init").exit_code == 0
    rows = [r for r in map(json.loads, _run(config, "claims", "--json").stdout.splitlines())
            if r["record"] == "claim"]
    values = [repr(r["value"]) for r in rows]
    assert len(values) == len(set(values)) and len({r["key"] for r in rows}) == len(rows)
    assert "368" in values


def test_articles_and_alerts_print_json_lines_only(tmp_path: Path) -> None:
    config = _config(tmp_path, [str(SEED_TXT)])
    assert _run(config, "init").exit_code == 0
    for command in (["articles", "--json"], ["alerts", "--json", "--kind", "new_raid"],
                    ["articles", "--json", "--relevant", "--since", "2024-01-01"]):
        result = _run(config, *command)
        assert result.exit_code == 0 and result.stdout == ""
    bad = _run(config, "alerts", "--since", "yesterday-ish")
    assert bad.exit_code == 2
