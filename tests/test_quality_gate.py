"""The quality gate: secreview's per-CWE score on the labelled corpus must not fall below the
floors recorded in bench/floors.json (see docs/quality.md)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT / "bench" / "floors.json"


def _load_evaluate():
    name = "secreview_bench_evaluate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


evaluate = _load_evaluate()


@pytest.fixture(scope="module")
def cases():
    return evaluate.load_cases()


@pytest.fixture(scope="module")
def result(cases):
    return evaluate.evaluate_secreview(cases=cases)


@pytest.fixture(scope="module")
def floors():
    return json.loads(FLOORS.read_text(encoding="utf-8"))


def test_corpus_is_balanced_and_large_enough(cases):
    by_cwe: dict[int, list[bool]] = {}
    for case in cases:
        by_cwe.setdefault(case.cwe, []).append(case.vulnerable)
    small = {cwe: len(v) for cwe, v in by_cwe.items() if len(v) < 15}
    assert not small, f"CWEs with fewer than 15 cases: {small}"
    lopsided = {
        cwe: (sum(v), len(v) - sum(v))
        for cwe, v in by_cwe.items()
        if min(sum(v), len(v) - sum(v)) < len(v) // 3
    }
    assert not lopsided, f"CWEs far from half vulnerable, half safe (v, s): {lopsided}"


def test_every_cwe_has_a_floor(cases, floors):
    in_corpus = {str(c.cwe) for c in cases}
    recorded = set(floors["per_cwe"])
    assert in_corpus == recorded, (
        f"floors.json and the corpus disagree: no floor for {sorted(in_corpus - recorded)}, "
        f"floor without cases for {sorted(recorded - in_corpus)}"
    )


def test_scores_stay_above_their_floors(result, floors):
    failures = []
    for cwe, floor in sorted(floors["per_cwe"].items(), key=lambda kv: int(kv[0])):
        score = result.per_cwe.get(int(cwe))
        if score is None:
            continue  # reported by test_every_cwe_has_a_floor
        if score.score < floor - 1e-9:
            failures.append(
                f"CWE-{cwe}: score {score.score:+.2f} (TPR {score.tpr:.2f}, FPR {score.fpr:.2f}) "
                f"is below its floor {floor:+.2f}\n"
                f"    misses: {', '.join(sorted(score.fn)) or '-'}\n"
                f"    false alarms: {', '.join(sorted(score.fp)) or '-'}"
            )
    if result.mean_score < floors["mean"] - 1e-9:
        failures.append(f"mean score {result.mean_score:+.2f} is below {floors['mean']:+.2f}")
    assert not failures, "quality gate:\n  " + "\n  ".join(failures)


def test_no_internal_errors_on_the_corpus(result):
    assert not result.note, result.note


def _case(**kw):
    base = {"id": "c", "cwe": 89, "vulnerable": True, "path": "c.py", "files": ("c.py",)}
    return evaluate.Case(**(base | kw))


def _hit(file="c.py", line=10, cwe=89):
    return evaluate.Hit(file, line, line, frozenset({cwe}), "R")


def test_matching_rules():
    sink = evaluate.Sink("c.py", 10)
    by_file = _case(sinks=(sink,), spans={sink: (10, 12)})
    by_line = _case(sinks=(sink,), spans={sink: (10, 12)}, match="line")
    safe = _case(vulnerable=False)
    assert evaluate.detected(by_file, [_hit(line=3)])  # file mode: anywhere in the sink file
    assert not evaluate.detected(by_file, [_hit(cwe=78)])  # another CWE does not count
    assert evaluate.detected(_case(cwe=328, sinks=(sink,)), [_hit(cwe=327)])  # equivalence
    assert evaluate.detected(by_line, [_hit(line=12)])  # line mode: within the statement
    assert not evaluate.detected(by_line, [_hit(line=3)])
    assert evaluate.detected(safe, [_hit(line=99)])  # a safe case: any finding is an alarm
    assert not evaluate.detected(safe, [_hit(file="other.py")])


def test_bandit_cwe_mapping():
    assert evaluate.bandit_cwes({"test_id": "B307", "issue_cwe": {"id": 78}}) == {94}
    assert evaluate.bandit_cwes({"test_id": "B608", "issue_cwe": {"id": 89}}) == {89}
    assert evaluate.bandit_cwes({"test_id": "B506", "issue_cwe": {"id": 20}}) == {502}
    assert evaluate.bandit_cwes({"test_id": "B602"}) == {78}
