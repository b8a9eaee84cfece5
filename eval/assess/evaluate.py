"""Measure the heuristic assessment against the labelled set in items.jsonl.

Reports ROC-AUC (score, high vs low items), grade accuracy with the confusion
matrix, and precision / recall / F1 of every flag. ``--errors`` lists the items
whose grade or flags disagree with the label, for reading (not for tuning
until it passes: the set is there to measure).

    python eval/assess/evaluate.py [--json] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from highsignal.assess import FLAGS, SourceFacts, assess
from highsignal.parse.html import links, sanitize, to_text
from highsignal.records import Item

HERE = Path(__file__).parent
ARTEFACT_FLAGS = ("open_weights", "demo_or_api", "code_released", "paper_or_report", "license_stated", "data_released")
CLAIM_FLAGS = ("leaderboard_only", "small_beats_big_claim", "near_chance_score", "closed_model_only")


def load(path: Path = HERE / "items.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def to_item(rec: dict) -> Item:
    """The record as the parse stage would hand it over."""
    content = rec["content"]
    if rec["format"] == "html":
        html = sanitize(content)
        return Item(
            key=rec["id"],
            title=rec["title"],
            url=rec.get("url"),
            html=html,
            text=to_text(html),
            links=links(html, rec.get("url")),
        )
    return Item(
        key=rec["id"],
        title=rec["title"],
        url=rec.get("url"),
        text=to_text(content) if rec["format"] == "text" else content,
    )


def facts(rec: dict) -> SourceFacts:
    # Only what a subscription would know: a podcast feed says it is one.
    return SourceFacts(content_kind="podcast" if rec["kind"] == "podcast_episode" else None)


def roc_auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(records: list[dict]) -> dict:
    results = [(rec, assess(to_item(rec), source=facts(rec))) for rec in records]
    high = [a.score for rec, a in results if rec["label"] == "high"]
    low = [a.score for rec, a in results if rec["label"] == "low"]
    grades = ("high", "medium", "low")
    confusion = {g: dict.fromkeys(grades, 0) for g in grades}
    for rec, a in results:
        confusion[rec["label"]][a.grade] += 1
    accuracy = sum(confusion[g][g] for g in grades) / len(results)
    flags = {}
    for f in FLAGS:
        tp = sum(1 for rec, a in results if rec["flags"][f] and a.flags[f])
        fp = sum(1 for rec, a in results if not rec["flags"][f] and a.flags[f])
        fn = sum(1 for rec, a in results if rec["flags"][f] and not a.flags[f])
        p, r, f1 = prf(tp, fp, fn)
        flags[f] = {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}

    def micro(names: tuple[str, ...]) -> float:
        tp = sum(flags[n]["tp"] for n in names)
        fp = sum(flags[n]["fp"] for n in names)
        fn = sum(flags[n]["fn"] for n in names)
        return prf(tp, fp, fn)[2]

    errors = []
    for rec, a in results:
        wrong = [f for f in FLAGS if rec["flags"][f] != a.flags[f]]
        if rec["label"] != a.grade or wrong:
            errors.append(
                {
                    "id": rec["id"],
                    "label": rec["label"],
                    "grade": a.grade,
                    "score": a.score,
                    "kind": a.item_kind,
                    "flags": wrong,
                }
            )
    return {
        "items": len(results),
        "roc_auc_high_vs_low": roc_auc(high, low),
        "grade_accuracy": accuracy,
        "confusion": confusion,
        "flags": flags,
        "artefact_flags_f1": micro(ARTEFACT_FLAGS),
        "claim_flags_f1": micro(CLAIM_FLAGS),
        "errors": errors,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", action="store_true", help="list items the heuristics get wrong")
    args = ap.parse_args()
    report = evaluate(load())
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        return 0
    print(f"{report['items']} labelled items")
    print(f"ROC-AUC high vs low   {report['roc_auc_high_vs_low']:.3f}   (goal >= 0.95)")
    print(f"grade accuracy        {report['grade_accuracy']:.3f}   (goal >= 0.80)")
    print(f"artefact flags F1     {report['artefact_flags_f1']:.3f}   (goal >= 0.90; micro-average)")
    print(f"claim flags F1        {report['claim_flags_f1']:.3f}   (goal >= 0.75; micro-average)")
    print(f"  artefact flags: {', '.join(ARTEFACT_FLAGS)}\n  claim flags: {', '.join(CLAIM_FLAGS)}")
    print("\nconfusion (rows: label, columns: grade)")
    print("          " + "".join(f"{g:>8}" for g in report["confusion"]))
    for label, row in report["confusion"].items():
        print(f"{label:>8}  " + "".join(f"{n:>8}" for n in row.values()))
    print(f"\n{'flag':<24}{'P':>6}{'R':>6}{'F1':>6}{'tp':>5}{'fp':>5}{'fn':>5}")
    for name, m in report["flags"].items():
        print(f"{name:<24}{m['precision']:>6.2f}{m['recall']:>6.2f}{m['f1']:>6.2f}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}")
    if args.errors:
        print("\ndisagreements")
        for e in report["errors"]:
            flags = ", ".join(e["flags"])
            print(f"  {e['id']:<44} label {e['label']:<6} got {e['grade']:<6} {e['score']:>3} {e['kind']:<12} {flags}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
