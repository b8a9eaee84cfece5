"""The optional LLM answer against a real OpenAI-compatible server on loopback: checked, never trusted."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import highsignal
from highsignal.api import Library
from highsignal.ask import DONT_KNOW, LLMSettings, ask, llm_settings
from highsignal.ask.cli import run
from highsignal.ask.llm import check_answer
from highsignal.config import ConfigError
from highsignal.errors import HighsignalError
from highsignal.store import SqliteStore
from tests.llmserver import LLMServer

QUESTION = "What licence is Corvid-2 under?"
GROUNDED = (
    "Corvid-2's weights are published under the Apache 2.0 licence [1]. "
    "Kestrel Labs trained it on 512 H100 GPUs for 11 days [1]."
)


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    srv = LLMServer().start()
    try:
        yield srv
    finally:
        srv.stop()


def settings(srv: LLMServer, timeout: float = 5.0) -> LLMSettings:
    return LLMSettings(srv.base_url, "test-model", "sekrit", timeout)


def test_grounded_answer_is_accepted(hand, llm) -> None:
    llm.reply = GROUNDED
    a = ask(hand, QUESTION, llm=settings(llm), limit=3)
    assert a.mode == "llm" and a.model == "test-model" and a.warnings == []
    assert [s.citations for s in a.sentences] == [[1], [1]]
    assert a.sentences[0].text == "Corvid-2's weights are published under the Apache 2.0 licence."
    assert a.text == (
        "Corvid-2's weights are published under the Apache 2.0 licence. [1] "
        "Kestrel Labs trained it on 512 H100 GPUs for 11 days. [1]"
    )
    assert 1 <= len(a.citations) <= 3
    (req,) = llm.requests
    assert req["path"] == "/v1/chat/completions" and req["model"] == "test-model" and req["temperature"] == 0
    system, user = req["messages"][0]["content"], req["messages"][1]["content"]
    assert DONT_KNOW in system and "only the numbered passages" in system
    assert user.endswith(f"Question: {QUESTION}")
    for c in a.citations:
        assert f"[{c.n}] (" in user and c.snippet in user
    assert llm.auth == ["Bearer sekrit"]


def test_sentence_citing_a_passage_that_does_not_exist_is_dropped(hand, llm) -> None:
    llm.reply = "The weights use the Apache 2.0 licence [1]. It beats every model ever made [9]. No source here."
    a = ask(hand, QUESTION, llm=settings(llm), limit=3)
    assert len(a.citations) <= 3
    assert a.mode == "llm"
    assert [(s.text, s.citations) for s in a.sentences] == [("The weights use the Apache 2.0 licence.", [1])]
    assert any("dropped 2 sentence(s)" in w for w in a.warnings)


def test_no_valid_sentence_falls_back_to_extractive(hand, llm) -> None:
    offline = ask(hand, QUESTION, offline=True, limit=3)
    llm.reply = "It beats every model ever made [9][12]. Trust me."
    a = ask(hand, QUESTION, llm=settings(llm), limit=3)
    assert a.mode == "extractive" and a.text == offline.text
    assert any("extractive" in w for w in a.warnings)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"status": 500}, "answered HTTP 500"),
        ({"status": 429}, "answered HTTP 429"),
        ({"body": b"<html>gateway</html>"}, "OpenAI-compatible"),
        ({"body": json.dumps({"choices": [{"message": {"content": None}}]}).encode()}, "no message content"),
        ({"delay": 1.5}, "did not answer within"),
    ],
)
def test_endpoint_failures_fall_back_to_extractive_with_a_warning(hand, llm, setup, message) -> None:
    for key, value in setup.items():
        setattr(llm, key, value)
    a = ask(hand, QUESTION, llm=settings(llm, timeout=0.5), limit=3)
    assert a.mode == "extractive" and a.sentences and a.citations
    assert any(message in w and "extractive" in w for w in a.warnings), a.warnings


def test_unreachable_endpoint_falls_back(hand) -> None:
    srv = LLMServer()  # bound, never started, then closed: nothing listens
    srv.httpd.server_close()
    a = ask(hand, QUESTION, llm=settings(srv, timeout=2), limit=3)
    assert a.mode == "extractive"
    assert any("cannot reach" in w for w in a.warnings)


def test_model_saying_it_does_not_know_gives_mode_none(hand, llm) -> None:
    llm.reply = "I don't know from your feed."
    a = ask(hand, QUESTION, llm=settings(llm), limit=3)
    assert (a.mode, a.text, a.citations) == ("none", DONT_KNOW, [])
    assert any("found no answer" in w for w in a.warnings)


def test_nothing_relevant_never_calls_the_llm(hand, llm) -> None:
    a = ask(hand, "Who founded the Zorblax quantum bakery?", llm=settings(llm))
    assert a.mode == "none" and llm.requests == []


def test_check_answer_reads_the_citation_styles_models_use() -> None:
    checked = check_answer(
        "- Weights are Apache 2.0. [1][2]\n- Trained on H100s [2, 3].\n\nIt is fast [1]; very fast [4].",
        n_passages=3,
    )
    assert [(s.text, s.citations) for s in checked.sentences] == [
        ("Weights are Apache 2.0.", [1, 2]),
        ("Trained on H100s.", [2, 3]),
    ]
    assert checked.dropped == 1 and not checked.dont_know
    assert check_answer("  I don’t know from your feed  ", 3).dont_know
    assert check_answer("", 3).sentences == []


def test_settings_come_from_ask_then_judge_then_environment(monkeypatch) -> None:
    assert llm_settings({}) is None
    own = llm_settings({"ask": {"base_url": "http://a.example/v1/", "model": "m1", "api_key": "k", "timeout": 7}})
    assert own == LLMSettings("http://a.example/v1", "m1", "k", 7.0)
    judge = {"judge": {"base_url": "http://j.example/v1", "model": "jm", "api_key": "jk"}}
    assert llm_settings(judge) == LLMSettings("http://j.example/v1", "jm", "jk", 30.0)
    assert llm_settings({**judge, "ask": {"model": "other"}}) == LLMSettings("http://j.example/v1", "other", "jk")
    assert llm_settings({**judge, "ask": {"llm": False}}) is None
    with pytest.raises(ConfigError, match="base_url"):
        llm_settings({"ask": {"model": "m"}})
    with pytest.raises(ConfigError):
        llm_settings({"ask": "nope"})
    monkeypatch.setenv("HIGHSIGNAL_LLM_BASE_URL", "http://env.example/v1")
    monkeypatch.setenv("HIGHSIGNAL_LLM_MODEL", "envm")
    monkeypatch.setenv("HIGHSIGNAL_LLM_API_KEY", "envk")
    assert llm_settings({}) == LLMSettings("http://env.example/v1", "envm", "envk")


def test_configured_endpoint_is_used_unless_offline(hand_db: Path, llm) -> None:
    llm.reply = GROUNDED
    config = {"ask": {"base_url": llm.base_url, "model": "cfg-model", "timeout": 5}}
    with Library(SqliteStore(hand_db), config=config) as lib:
        a = ask(lib, QUESTION, limit=3)
        assert a.mode == "llm" and a.model == "cfg-model"
        assert ask(lib, QUESTION, limit=3, offline=True).mode == "extractive"
        assert len(llm.requests) == 1
        data = json.loads(run(lib, QUESTION, limit=3, llm="on", json_output=True))
        assert data["mode"] == "llm" and data["model"] == "cfg-model"
        assert json.loads(run(lib, QUESTION, limit=3, llm="off", json_output=True))["mode"] == "extractive"


def test_broken_config_costs_a_warning_not_the_answer(hand_db: Path) -> None:
    with Library(SqliteStore(hand_db), config={"ask": {"model": "m"}}) as lib:
        a = ask(lib, QUESTION)
        assert a.mode == "extractive"
        assert any("base_url" in w and "offline" in w for w in a.warnings)


def test_cli_run(hand: highsignal.Library) -> None:
    text = run(hand, QUESTION)
    assert text.startswith(f"Q: {QUESTION}") and "[1]" in text
    data = json.loads(run(hand, QUESTION, json_output=True))
    assert data["mode"] == "extractive" and data["citations"]
    with pytest.raises(HighsignalError, match="no LLM is configured"):
        run(hand, QUESTION, llm="on")
    with pytest.raises(HighsignalError, match="--llm"):
        run(hand, QUESTION, llm="maybe")
    with pytest.raises(HighsignalError, match="question"):
        run(hand, "  ")


def test_asking_from_inside_an_event_loop_works(hand, llm) -> None:
    """A web handler calls ask from async code; the LLM request must not try to nest event loops."""
    llm.reply = GROUNDED

    async def handler():
        return ask(hand, QUESTION, llm=settings(llm), limit=3)

    a = asyncio.run(handler())
    assert a.mode == "llm" and a.warnings == []
