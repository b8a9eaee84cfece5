"""``highsignal serve`` from the command line: refuses an open bind without a token, before listening."""

from __future__ import annotations

from typer.testing import CliRunner

from highsignal.cli import app


def test_serve_refuses_a_public_bind_without_a_token(tmp_path) -> None:
    res = CliRunner().invoke(app, ["--db", str(tmp_path / "lib.sqlite"), "serve", "--host", "0.0.0.0", "--port", "1"])
    assert res.exit_code == 2
    assert "0.0.0.0" in res.output and "token" in res.output


def test_serve_help_teaches_the_security_rules() -> None:
    res = CliRunner().invoke(app, ["serve", "--help"])
    assert res.exit_code == 0 and "token" in res.output and "allow_private_sources" in res.output
