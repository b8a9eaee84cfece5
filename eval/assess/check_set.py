#!/usr/bin/env python3
"""Validate the labelled assessment set (items.jsonl) and print its counts.

Stdlib only. Usage:  python3 eval/assess/check_set.py [path/to/items.jsonl]
Exits 1 if any item breaks the schema or the set misses its coverage targets.
"""

import json
import sys
from collections import Counter
from pathlib import Path

KINDS = {
    "model_card",
    "readme",
    "release_post",
    "paper_abstract",
    "podcast_episode",
    "newsletter",
    "essay",
    "press_release",
    "social_post",
    "blog_post",
}
FORMATS = {"html", "markdown", "text"}
LABELS = ("high", "medium", "low")
FLAGS = (
    "open_weights",
    "demo_or_api",
    "code_released",
    "usage_examples",
    "library_support",
    "compute_stated",
    "leaderboard_only",
    "small_beats_big_claim",
    "near_chance_score",
    "closed_model_only",
    "license_stated",
    "data_released",
    "paper_or_report",
)
# flags that mark a problem (rubric R4-R6): each must be true on at least 6 items
PROBLEM_FLAGS = ("leaderboard_only", "small_beats_big_claim", "near_chance_score", "closed_model_only")
KEYS = {"id", "kind", "title", "url", "format", "content", "label", "rationale", "flags", "provenance", "trimmed"}
MAX_CONTENT_BYTES = 12 * 1024
MIN_ITEMS = 66


def check_item(n, item, errors):
    where = f"line {n}"
    if not isinstance(item, dict):
        errors.append(f"{where}: not a JSON object")
        return
    where = f"line {n} ({item.get('id', '?')})"
    missing, extra = KEYS - item.keys(), item.keys() - KEYS
    if missing:
        errors.append(f"{where}: missing keys {sorted(missing)}")
    if extra:
        errors.append(f"{where}: unexpected keys {sorted(extra)}")
    for key in ("id", "title", "content", "rationale"):
        if not isinstance(item.get(key), str) or not item.get(key, "").strip():
            errors.append(f"{where}: '{key}' must be a non-empty string")
    if item.get("kind") not in KINDS:
        errors.append(f"{where}: bad kind {item.get('kind')!r}")
    if item.get("format") not in FORMATS:
        errors.append(f"{where}: bad format {item.get('format')!r}")
    if item.get("label") not in LABELS:
        errors.append(f"{where}: bad label {item.get('label')!r}")
    url = item.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        errors.append(f"{where}: url must be null or an http(s) URL")
    if not isinstance(item.get("trimmed"), bool):
        errors.append(f"{where}: 'trimmed' must be a boolean")
    flags = item.get("flags")
    if not isinstance(flags, dict):
        errors.append(f"{where}: 'flags' must be an object")
    else:
        if set(flags) != set(FLAGS):
            errors.append(
                f"{where}: flag keys differ: missing {sorted(set(FLAGS) - set(flags))}, "
                f"extra {sorted(set(flags) - set(FLAGS))}"
            )
        for k, v in flags.items():
            if not isinstance(v, bool):
                errors.append(f"{where}: flag {k} must be a boolean")
    prov = item.get("provenance")
    if not isinstance(prov, dict) or not prov:
        errors.append(f"{where}: 'provenance' must be a non-empty object")
    elif not ({"repo", "url", "file", "pypi"} & prov.keys()):
        errors.append(f"{where}: provenance needs one of repo/url/file/pypi")
    elif "repo" in prov and not (prov.get("path") and prov.get("commit")):
        errors.append(f"{where}: repo provenance needs path and commit")
    content = item.get("content")
    if isinstance(content, str) and len(content.encode("utf-8")) > MAX_CONTENT_BYTES:
        errors.append(f"{where}: content is {len(content.encode('utf-8'))} bytes (> 12 KB)")


def main(argv):
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("items.jsonl")
    errors, items = [], []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"line {n}: invalid JSON ({exc})")
                continue
            check_item(n, item, errors)
            items.append(item)

    ids = Counter(i.get("id") for i in items if isinstance(i, dict))
    errors += [f"duplicate id {k!r} ({c} times)" for k, c in ids.items() if c > 1]
    good = [i for i in items if isinstance(i, dict) and isinstance(i.get("flags"), dict)]

    labels = Counter(i.get("label") for i in good)
    kinds = Counter(i.get("kind") for i in good)
    flag_true = Counter(k for i in good for k, v in i["flags"].items() if v is True)

    print(f"{path}: {len(items)} items, {path.stat().st_size} bytes")
    print("\nper label:")
    for lab in LABELS:
        print(f"  {lab:<8}{labels.get(lab, 0):>4}")
    print("\nper kind:")
    for kind, c in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        by_label = Counter(i["label"] for i in good if i.get("kind") == kind)
        detail = " ".join(f"{lab[0]}={by_label.get(lab, 0)}" for lab in LABELS)
        print(f"  {kind:<17}{c:>4}   ({detail})")
    print(f"\nflag true (of {len(good)}):")
    for f in FLAGS:
        by_label = Counter(i["label"] for i in good if i["flags"].get(f) is True)
        detail = " ".join(f"{lab[0]}={by_label.get(lab, 0)}" for lab in LABELS)
        print(f"  {f:<22}{flag_true.get(f, 0):>4}   ({detail})")
    print(f"\ntrimmed: {sum(1 for i in good if i.get('trimmed') is True)}")

    # coverage targets of the set
    if len(items) < MIN_ITEMS:
        errors.append(f"only {len(items)} items (< {MIN_ITEMS})")
    for f in FLAGS:
        need = 6 if f in PROBLEM_FLAGS else 10
        if flag_true.get(f, 0) < need:
            errors.append(f"flag {f} true on {flag_true.get(f, 0)} items (< {need})")
        if len(good) - flag_true.get(f, 0) < 20:
            errors.append(f"flag {f} false on fewer than 20 items")
    for lab in LABELS:
        share = labels.get(lab, 0) / max(len(good), 1)
        if not 0.25 <= share <= 0.42:
            errors.append(f"label {lab} is {share:.0%} of the set (want about a third)")

    if errors:
        print("\nPROBLEMS:")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
