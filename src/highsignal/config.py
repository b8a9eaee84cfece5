"""The reader's config file: rubric weight overrides, the optional LLM judge.

A TOML file at ``$HIGHSIGNAL_CONFIG``, else ``config.toml`` in the user config
directory. A missing file means defaults; a broken one is an error that names
the file and the problem, never a silent fallback.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from highsignal.errors import HighsignalError


class ConfigError(HighsignalError):
    """The config file exists but cannot be used."""


def config_path() -> Path:
    env = os.environ.get("HIGHSIGNAL_CONFIG")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_config_path("highsignal") / "config.toml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config {path} is not UTF-8 text: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if "end of document" in message:
            # Something left open (a bracket, a quote) runs to the end: say which line that is.
            last_line = raw.rstrip().count(b"\n") + 1
            message = message.replace("end of document", f"end of document, line {last_line}")
        raise ConfigError(f"config {path} is not valid TOML: {message}") from exc


@dataclass(frozen=True, slots=True)
class JudgeSettings:
    """Where the optional LLM judge lives: any OpenAI-compatible chat endpoint."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 60.0
    max_chars: int = 12_000


def judge_settings(config: dict[str, Any] | None = None) -> JudgeSettings | None:
    """The judge's settings from ``[judge]`` in the config, else the environment; ``None`` if unset.

    Environment: ``HIGHSIGNAL_LLM_BASE_URL``, ``HIGHSIGNAL_LLM_MODEL`` and
    ``HIGHSIGNAL_LLM_API_KEY`` (``OPENAI_API_KEY`` is used when no key is set).
    """
    table = (config or {}).get("judge") or {}
    if not isinstance(table, dict):
        raise ConfigError("config [judge] must be a table")
    base_url = table.get("base_url") or os.environ.get("HIGHSIGNAL_LLM_BASE_URL")
    model = table.get("model") or os.environ.get("HIGHSIGNAL_LLM_MODEL")
    if not base_url and not model:
        return None
    if not base_url or not model:
        missing = "base_url" if not base_url else "model"
        raise ConfigError(f"LLM judge: {missing} is not set (config [judge] or HIGHSIGNAL_LLM_{missing.upper()})")
    key = table.get("api_key")
    if not key and table.get("api_key_env"):
        key = os.environ.get(str(table["api_key_env"]))
    key = key or os.environ.get("HIGHSIGNAL_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
    try:
        timeout = float(table.get("timeout", 60.0))
        max_chars = int(table.get("max_chars", 12_000))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"config [judge]: {exc}") from exc
    return JudgeSettings(str(base_url).rstrip("/"), str(model), key, timeout, max_chars)


def edit_focus(path: Path, change: Callable[[Any], None]) -> None:
    """Apply ``change`` to the ``[focus]`` table of the config file, keeping its comments and layout.

    The edited file is checked before it replaces the old one (written to a
    temporary file and renamed), so a bad edit never leaves a broken config.
    """
    import tomlkit

    from highsignal.rank.focus import from_config

    try:
        raw = path.read_text("utf-8")
    except FileNotFoundError:
        raw = ""
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
    try:
        doc = tomlkit.parse(raw)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from exc
    if "focus" not in doc:
        doc["focus"] = tomlkit.table()
    change(doc["focus"])
    text = tomlkit.dumps(doc)
    from_config(tomllib.loads(text), None)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
