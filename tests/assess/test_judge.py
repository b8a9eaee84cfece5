"""The optional LLM judge against a real OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from highsignal.assess import assess, default_rubric
from highsignal.assess.judge import FLAGS, JudgeError, combine, judge_items, parse_answer
from highsignal.cli import app
from highsignal.config import ConfigError, JudgeSettings, judge_settings
from highsignal.records import Item
from tests.llmserver import LLMServer

GOOD = {
    "grade": "high",
    "flags": dict.fromkeys(FLAGS, False) | {"open_weights": True},
    "rules": {"R1": {"verdict": "+", "reason": "weights"}},
}
ITEM = Item(
    key="k", title="Foo-7B", text="Weights at https://huggingface.co/foo/foo-7b under Apache-2.0.", content_hash="h1"
)


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    srv = LLMServer().start()
    try:
        yield srv
    finally:
        srv.stop()


def settings(srv: LLMServer, **kw) -> JudgeSettings:
    return JudgeSettings(srv.base_url, "test-model", kw.pop("api_key", "sekrit"), kw.pop("timeout", 5.0), **kw)


def test_good_answer_is_combined_with_the_heuristic(llm: LLMServer) -> None:
    llm.reply = GOOD
    (j,) = judge_items([ITEM], settings(llm), default_rubric())
    assert not isinstance(j, JudgeError)
    assert j.grade == "high" and j.flags["open_weights"]
    heuristic = assess(ITEM)
    both = combine(heuristic, j, default_rubric())
    assert both.score == round((heuristic.score + 80) / 2)
    assert both.judge["heuristic_score"] == heuristic.score
    assert both.signals == heuristic.signals  # the evidence stays the heuristic's
    req = llm.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["model"] == "test-model"
    assert "Foo-7B" in req["messages"][1]["content"]
    assert llm.auth == ["Bearer sekrit"]


def test_cache_avoids_a_second_request(llm: LLMServer) -> None:
    llm.reply = GOOD
    store: dict = {}
    cache = (lambda h, v, m: store.get((h, v, m)), lambda h, v, m, d: store.__setitem__((h, v, m), d))
    judge_items([ITEM], settings(llm), default_rubric(), cache=cache)
    (again,) = judge_items([ITEM], settings(llm), default_rubric(), cache=cache)
    assert len(llm.requests) == 1
    assert again.cached and again.grade == "high"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"reply": "I think it is pretty good!"}, "did not answer with JSON"),
        ({"reply": {"grade": "excellent", "flags": {}}}, "outside the schema"),
        ({"reply": {"grade": "low", "flags": {"open_weights": "yes"}}}, "outside the schema"),
        ({"status": 500, "body": b"boom"}, "HTTP 500"),
        ({"body": b"<html>not json</html>"}, "OpenAI-compatible"),
        ({"delay": 1.5}, "did not answer within"),
    ],
)
def test_bad_endpoints_give_clear_errors(llm: LLMServer, setup: dict, message: str) -> None:
    for k, v in setup.items():
        setattr(llm, k, v)
    (j,) = judge_items([ITEM], settings(llm, timeout=0.5), default_rubric())
    assert isinstance(j, JudgeError)
    assert message in str(j)


def test_endpoint_down() -> None:
    srv = LLMServer()  # bound, never started, then closed: nothing listens
    url = srv.base_url
    srv.httpd.server_close()
    (j,) = judge_items([ITEM], JudgeSettings(url, "m", None, 2.0), default_rubric())
    assert isinstance(j, JudgeError) and "cannot reach" in str(j)


def test_fenced_json_is_accepted() -> None:
    j = parse_answer("```json\n" + json.dumps(GOOD) + "\n```", "m")
    assert j.grade == "high"


def test_settings_from_environment_and_config(monkeypatch) -> None:
    assert judge_settings({}) is None  # nothing configured: nothing calls out
    monkeypatch.setenv("HIGHSIGNAL_LLM_BASE_URL", "http://127.0.0.1:9/v1/")
    with pytest.raises(ConfigError, match="model is not set"):
        judge_settings({})
    monkeypatch.setenv("HIGHSIGNAL_LLM_MODEL", "llama3")
    s = judge_settings({})
    assert s is not None and s.base_url == "http://127.0.0.1:9/v1" and s.model == "llama3"
    s = judge_settings({"judge": {"base_url": "http://h/v1", "model": "qwen", "timeout": 3}})
    assert s is not None and (s.model, s.timeout) == ("qwen", 3.0)


def test_cli_judge_falls_back_to_heuristic_when_the_answer_is_broken(
    llm: LLMServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("HIGHSIGNAL_LLM_BASE_URL", llm.base_url)
    monkeypatch.setenv("HIGHSIGNAL_LLM_MODEL", "test-model")
    doc = tmp_path / "note.md"
    doc.write_text(ITEM.text)
    runner = CliRunner()
    llm.reply = "not json at all"
    res = runner.invoke(
        app, ["--db", str(tmp_path / "j.sqlite"), "assess", str(doc), "--judge", "llm", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert "did not answer with JSON" in res.stderr
    (d,) = json.loads(res.stdout)
    assert "judge" not in d and d["flags"]["open_weights"]
    llm.reply = GOOD
    res = runner.invoke(
        app, ["--db", str(tmp_path / "j.sqlite"), "assess", str(doc), "--judge", "llm", "--format", "json"]
    )
    (d,) = json.loads(res.stdout)
    assert d["judge"]["grade"] == "high" and d["judge"]["model"] == "test-model"
    # Cached by content hash and rubric version: the same document asks no more.
    n = len(llm.requests)
    runner.invoke(app, ["--db", str(tmp_path / "j.sqlite"), "assess", str(doc), "--judge", "llm", "--format", "json"])
    assert len(llm.requests) == n


def test_cli_judge_without_configuration_says_how(tmp_path: Path) -> None:
    doc = tmp_path / "note.md"
    doc.write_text("hello")
    res = CliRunner().invoke(app, ["--db", str(tmp_path / "k.sqlite"), "assess", str(doc), "--judge", "llm"])
    assert res.exit_code == 2 and "HIGHSIGNAL_LLM_BASE_URL" in res.output
