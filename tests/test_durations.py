"""The longest-first order that balances the xdist workers (tests/durations.py)."""

from __future__ import annotations

from tests.durations import file_seconds, longest_first


def test_a_durations_report_sums_each_files_phases() -> None:
    log = ("12.50s setup    tests/a.py::test_one\n"
           "3.00s call     tests/a.py::test_one\n"
           "0.25s call     tests/b/test_c.py::test_x[param::odd]\n"
           "not a duration line\n")
    assert file_seconds(log) == {"tests/a.py": 15.5, "tests/b/test_c.py": 0.2}


def test_files_go_longest_first_keeping_their_tests_in_order_and_unknown_ones_last() -> None:
    nodeids = ["tests/quick.py::t1", "tests/new.py::t1", "tests/slow.py::t1",
               "tests/quick.py::t2", "tests/slow.py::t2", "tests/other_new.py::t1"]
    table = {"tests/slow.py": 90.0, "tests/quick.py": 2.0}
    assert [nodeids[i] for i in longest_first(nodeids, table)] == [
        "tests/slow.py::t1", "tests/slow.py::t2", "tests/quick.py::t1", "tests/quick.py::t2",
        "tests/new.py::t1", "tests/other_new.py::t1"]
