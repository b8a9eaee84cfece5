"""Helpers shared by the bench/*.py scripts: paths, highsignal import, stats, tables, JSON.

Not part of the highsignal package; nothing in src/ or tests/ imports this.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import importlib.metadata as _md
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
RESULTS_DIR = BENCH_DIR / "results"
CORPUS_DIR = Path(os.environ.get("HIGHSIGNAL_CORPUS", "/work/shared/corpus"))
FEEDS_DIR = CORPUS_DIR / "feeds"

PEER_PACKAGES = ("highsignal", "reader", "feedparser", "fastfeedparser", "httpx", "aiohttp", "lxml")


# --------------------------------------------------------------------------- highsignal


class HighsignalMissing(RuntimeError):
    """highsignal (or the part of its API a benchmark needs) is not importable yet."""


_HS_IMPORT_NOTE: str | None = None


def import_highsignal(module: str = "highsignal", attrs: Sequence[str] = ()) -> Any:
    """Import ``module`` (e.g. ``highsignal`` or ``highsignal.parse``) and check ``attrs``.

    Tries the installed package first; if that fails, puts ``REPO_DIR/src`` on
    ``sys.path`` (the fallback for before ``pip install -e`` works). Raises
    :class:`HighsignalMissing` with a readable message when the module or one of
    ``attrs`` is not there.
    """
    global _HS_IMPORT_NOTE
    try:
        mod = importlib.import_module(module)
        if _HS_IMPORT_NOTE is None:
            _HS_IMPORT_NOTE = "installed package"
    except ImportError:
        src = str(REPO_DIR / "src")
        if src not in sys.path:
            sys.path.insert(0, src)
        for name in [m for m in sys.modules if m == "highsignal" or m.startswith("highsignal.")]:
            del sys.modules[name]
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:
            raise HighsignalMissing(f"cannot import {module}: {exc}") from exc
        _HS_IMPORT_NOTE = f"sys.path fallback ({src})"
    missing = [a for a in attrs if not hasattr(mod, a)]
    if missing:
        where = getattr(mod, "__file__", None) or list(getattr(mod, "__path__", []))
        raise HighsignalMissing(f"{module} (from {where}) has no {', '.join(missing)} yet")
    return mod


def highsignal_import_note() -> str | None:
    return _HS_IMPORT_NOTE


# --------------------------------------------------------------------------- environment


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in PEER_PACKAGES:
        try:
            out[name] = _md.version(name)
        except _md.PackageNotFoundError:
            out[name] = None
    return out


def git_commit() -> str | None:
    try:
        res = subprocess.run(
            ["git", "-C", str(REPO_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() or None if res.returncode == 0 else None


def env_info() -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "packages": package_versions(),
        "highsignal_import": _HS_IMPORT_NOTE,
        "git_commit": git_commit(),
        "started": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }


def warn_if_not_bench_venv() -> None:
    if Path(sys.prefix).resolve() != (BENCH_DIR / ".venv").resolve():
        print(
            f"note: running under {sys.prefix}, not bench/.venv; run bash bench/setup.sh and "
            "use bench/.venv/bin/python so every peer is installed",
            file=sys.stderr,
        )


# --------------------------------------------------------------------------- args / results


def base_parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--repeats", type=int, default=5, help="measurements per case (default 5)")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="JSON results file (default bench/results/<script>-<timestamp>.json)",
    )
    return p


def print_unavailable(unavailable: dict[str, str]) -> None:
    """Say which tools could not be measured in this run, and why."""
    for name, why in unavailable.items():
        print(f"  {name}: NOT MEASURED ({why})")


def write_results(name: str, payload: dict[str, Any], out: Path | None = None) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    if out is None:
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = RESULTS_DIR / f"{name}-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(payload, indent=2, sort_keys=False, default=str)
    out.write_text(text + "\n")
    (RESULTS_DIR / f"{name}-latest.json").write_text(text + "\n")
    return out


# --------------------------------------------------------------------------- stats / tables


def summarize(values: Iterable[float]) -> dict[str, Any]:
    vals = [float(v) for v in values]
    if not vals:
        return {"n": 0, "median": None, "min": None, "max": None, "values": []}
    return {
        "n": len(vals),
        "median": statistics.median(vals),
        "min": min(vals),
        "max": max(vals),
        "values": vals,
    }


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, round(q / 100.0 * len(s) + 0.5) - 1))
    return s[k]


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_num(v: float | None, unit: str = "") -> str:
    if v is None:
        return "n/a"
    if v != v:  # nan
        return "nan"
    av = abs(v)
    if av >= 1e6:
        s = f"{v / 1e6:.2f}M"
    elif av >= 1e4:
        s = f"{v / 1e3:.1f}k"
    elif av >= 100:
        s = f"{v:.0f}"
    elif av >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.3g}"
    return s + unit


def fmt_secs(v: float | None) -> str:
    if v is None:
        return "n/a"
    if v < 1e-3:
        return f"{v * 1e6:.0f}us"
    if v < 1:
        return f"{v * 1e3:.1f}ms"
    return f"{v:.2f}s"


def fmt_ratio(v: float | None) -> str:
    if v is None:
        return "n/a"
    return f"{v:.1f}x" if v >= 10 else f"{v:.2f}x"


def fmt_range(st: dict[str, Any], fmt: Callable[[float | None], str] = fmt_num) -> str:
    if not st or st.get("n", 0) == 0:
        return "n/a"
    return f"{fmt(st['min'])}..{fmt(st['max'])}"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    if title:
        print(f"\n{title}")
    line = "  ".join(h.ljust(w) for h, w in zip(cells[0], widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for r in cells[1:]:
        print("  ".join((c.rjust(w) if i else c.ljust(w)) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    sys.stdout.flush()


def goal_line(label: str, value: float | None, target: float, *, higher_is_better: bool = True, fmt=fmt_ratio) -> str:
    if value is None:
        verdict = "NOT MEASURED"
    elif (value >= target) if higher_is_better else (value <= target):
        verdict = "MET"
    else:
        verdict = "NOT MET"
    op = ">=" if higher_is_better else "<="
    return f"  goal {label}: {fmt(value)} (target {op} {fmt(target)}) -> {verdict}"


class Timer:
    def __enter__(self) -> Timer:
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.perf_counter() - self.t0


# --------------------------------------------------------------------------- subprocess peak RSS


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB.

    Reads ``VmHWM`` from /proc/self/status: unlike ``ru_maxrss`` it is not inherited from
    the parent across fork+exec (a child of a 300 MB benchmark process would otherwise
    report >= 300 MB before doing anything). Falls back to ``ru_maxrss`` elsewhere.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_json_subprocess(
    code: str, args: Sequence[str] = (), timeout: float = 900, stdin: str | None = None
) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter (same venv, bench/ on sys.path), with ``stdin``
    as its standard input; it must print one JSON object as its last stdout line.
    Returns it, or ``{"error": ...}``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH_DIR)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    try:
        res = subprocess.run(
            [sys.executable, "-c", code, *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout}s"}
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
    if res.returncode != 0 or not lines:
        tail = (res.stderr or res.stdout).strip().splitlines()[-3:]
        return {"error": f"exit {res.returncode}: {' | '.join(tail)}"}
    try:
        return json.loads(lines[-1])
    except json.JSONDecodeError:
        return {"error": f"bad output: {lines[-1][:200]}"}
