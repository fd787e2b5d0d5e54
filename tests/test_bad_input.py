"""Gate: every broken input in every tests/bad_input_*.py fails the build with one clean line.

Each file holds `CASES = [{"id", "files", "settings", "expect"}]` (see bad_input_core.py). A
case builds a tiny site with the real `pelican` command; the build must exit non-zero,
print no traceback, and name every `expect` fragment (file, field, problem) on one line.
"""

import importlib.util
from pathlib import Path

import pytest

from helpers import assert_one_line_error, cli_build, record_gate_count

HERE = Path(__file__).resolve().parent
MINIMUM_CASES = 25


def collect():
    cases = []
    for path in sorted(HERE.glob("bad_input_*.py")):
        spec = importlib.util.spec_from_file_location(f"_gate_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for case in module.CASES:
            cases.append(pytest.param(case, id=f"{path.stem.removeprefix('bad_input_')}:{case['id']}"))
    return cases


CASES = collect()


def test_the_table_is_big_enough():
    ids = [c.id for c in CASES]
    record_gate_count("bad input", "cases", len(ids))
    assert len(ids) >= MINIMUM_CASES
    assert len(ids) == len(set(ids)), "two cases share an id"
    for param in CASES:
        case = param.values[0]
        assert case["expect"] and all(isinstance(f, str) and f for f in case["expect"]), param.id


@pytest.mark.parametrize("case", CASES)
def test_bad_input_fails_with_one_line(tmp_path, case):
    code, log = cli_build(tmp_path, case["files"], case.get("settings") or {})
    assert_one_line_error(code, log, *case["expect"])
