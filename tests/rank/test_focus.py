"""The focus profile: read from the config, checked with errors that point at the line."""

from pathlib import Path

import pytest

from highsignal.config import ConfigError, edit_focus, load_config
from highsignal.rank.focus import Focus, fit, from_config


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_profile_is_read_from_the_focus_table(tmp_path):
    path = _write(tmp_path, '[focus]\nmode = "breadth"\ndeep = ["evaluation"]\nignore = ["hardware"]\n')
    focus = from_config(load_config(path), path)
    assert (focus.mode, focus.deep, focus.ignore) == ("breadth", ["evaluation"], ["hardware"])


def test_no_config_means_defaults(tmp_path):
    assert from_config(load_config(tmp_path / "missing.toml")) == Focus()


def test_unknown_topic_names_the_line_and_the_closest_topic(tmp_path):
    path = _write(tmp_path, '# my profile\n[focus]\nmode = "depth"\ndeep = ["evaluation", "evalution"]\n')
    with pytest.raises(ConfigError) as caught:
        from_config(load_config(path), path)
    message = str(caught.value)
    assert "line 4" in message and "'evalution'" in message and "did you mean 'evaluation'" in message


@pytest.mark.parametrize(
    ("text", "line"),
    [('[focus]\nmode = "depth"\ndeep = [evaluation]\n', "line 3"), ('[focus]\ndeep = ["evaluation"\n', "line 2")],
)
def test_malformed_toml_is_an_error_with_its_line(tmp_path, text, line):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=rf"not valid TOML.*{line}"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[focus]\nmode = "deep"\n', "mode must be 'depth' or 'breadth'"),
        ("[focus]\ndeep = 3\n", "deep must be a list of strings"),
        ('[focus]\ndeep = ["agents"]\nignore = ["agents"]\n', "both deep and ignored: agents"),
    ],
)
def test_bad_profiles_are_refused(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=message):
        from_config(load_config(path), path)


def test_topic_labels_are_accepted_for_ids(tmp_path):
    path = _write(tmp_path, '[focus]\ndeep = ["Evaluation"]\n')
    assert from_config(load_config(path), path).deep == ["evaluation"]


def test_editing_keeps_comments_and_refuses_a_bad_edit(tmp_path):
    path = _write(tmp_path, '# keep me\n[judge]\nmodel = "x" # and me\n')
    edit_focus(path, lambda f: f.__setitem__("deep", ["agents"]))
    text = path.read_text()
    assert "# keep me" in text and "# and me" in text and "agents" in text
    with pytest.raises(ConfigError):
        edit_focus(path, lambda f: f.__setitem__("deep", ["no_such_topic"]))
    assert path.read_text() == text  # the file is untouched by a refused edit


def test_fit_is_neutral_without_deep_topics_and_strong_for_them():
    neutral, why, ignored = fit([("agents", 0.5)], Focus())
    strong, why2, _ = fit([("agents", 0.5)], Focus(deep=["agents"]))
    weak, _, _ = fit([("robotics", 0.5)], Focus(deep=["agents"]))
    assert weak < neutral < strong
    assert why is None and "Agents" in why2 and ignored is None
