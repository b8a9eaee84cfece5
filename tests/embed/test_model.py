"""The bundled offline embedding model: loads without the network and ranks by meaning."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from highsignal.embed import EmbeddingUnavailable, embed_settings, load_embedder
from highsignal.errors import HighsignalError

pytest.importorskip("wordllama", reason="the embed extra is not installed")

# Short texts written for these tests: the query and its match share no word.
DOCS = {
    "quantization": "GPTQ quantization shrinks Llama weights to 4-bit integers; the 4-bit build fits on one GPU.",
    "bread": "Sourdough baking notes: feed the starter twice a day and bake at 250 degrees for a crisp crust.",
    "retrieval": "A new retrieval benchmark for long documents measures recall over books and legal filings.",
    "robot": "A robot arm learns to pick up cups by imitation from human video demonstrations.",
}
QUERIES = {
    "compress neural network parameters to lower numeric precision": "quantization",
    "teaching machines to grasp objects by watching people": "robot",
    "finding passages in very long texts": "retrieval",
}


@pytest.fixture(scope="module")
def embedder():
    return load_embedder({})


def test_vectors_are_unit_length_float32(embedder) -> None:
    v = embedder.embed(list(DOCS.values()))
    assert v.shape == (4, embedder.dim) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, embedder.dim)


@pytest.mark.parametrize(("query", "expected"), QUERIES.items())
def test_a_paraphrase_finds_its_match_with_no_shared_word(embedder, query: str, expected: str) -> None:
    names = list(DOCS)
    sims = embedder.embed(list(DOCS.values())) @ embedder.embed([query])[0]
    assert names[int(np.argmax(sims))] == expected


def test_empty_and_unknown_text_do_not_crash(embedder) -> None:
    v = embedder.embed(["", "   ", "\x00\x01", "ß" * 10_000])
    assert v.shape == (4, embedder.dim) and np.isfinite(v).all()


def test_loading_makes_no_network_request_and_writes_no_cache(tmp_path) -> None:
    # A fresh interpreter with every socket refused and HOME elsewhere: loading must still work.
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from highsignal.embed import load_embedder\n"
        "print(load_embedder({}).embed(['hello world']).shape)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env={"HOME": str(tmp_path)}
    )
    assert done.returncode == 0, done.stderr
    assert "(1, 256)" in done.stdout
    assert not (tmp_path / ".cache").exists()


def test_missing_package_says_how_to_install(tmp_path) -> None:
    code = (
        "import sys\n"
        "sys.modules['wordllama'] = None\n"
        "from highsignal.embed import load_embedder, EmbeddingUnavailable\n"
        "try:\n"
        "    load_embedder({})\n"
        "except EmbeddingUnavailable as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "pip install 'highsignal[embed]'" in done.stdout, done.stderr


def test_config_turns_it_off_and_bad_values_are_named() -> None:
    with pytest.raises(EmbeddingUnavailable, match="enabled = false"):
        load_embedder({"embed": {"enabled": False}})
    with pytest.raises(HighsignalError, match="model 'bert-huge' is not known"):
        embed_settings({"embed": {"model": "bert-huge"}})
    with pytest.raises(HighsignalError, match="enabled must be true or false"):
        embed_settings({"embed": {"enabled": "yes"}})
    with pytest.raises(HighsignalError, match=r"\[embed\] in the config file must be a table"):
        embed_settings({"embed": 3})
