"""``ask`` latency on the 100k-item synthetic store, offline (extractive) mode.

Needs the store from ``bench/make_rank_store.py`` (100,000 AI items from ~300
sources over two years; about 3 minutes to build). Works on a copy, so the
cached store is never migrated or written to. Each question is asked once to
warm the page cache, then ``--runs`` times; the median and p95 are over every
timed call (questions x runs). Goal: p95 <= 300 ms.

The questions use the generator's vocabulary (labs, model families, tools,
benchmarks, GPUs, policy bodies), a few are about things the store never
mentions (they should come back "I don't know from your feed."), and a few
are hostile FTS syntax.

    .venv/bin/python bench/ask_bench.py [--store bench/data/rank/store.sqlite] [--runs 3] [--show 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from _common import percentile, write_results  # noqa: E402

try:
    import highsignal
    from highsignal.ask import ask, render_terminal
except ImportError:  # not installed in this venv: use the source tree
    sys.path.insert(0, str(BENCH.parent / "src"))
    import highsignal
    from highsignal.ask import ask, render_terminal

QUESTIONS = [
    # models and their claims
    "What scores did Thistle 1.3 405B get on MMLU?",
    "How does Orion compare with GPT-4o on HumanEval?",
    "Which models beat Llama 3.1 70B on GSM8K?",
    "What did people say about Qwen2.5 72B?",
    "Is DeepSeek-V3 better than Claude 3.5 Sonnet at coding?",
    "What context window does Quokka-2 have?",
    "Which mixture-of-experts models were released with a 256K context window?",
    "What is the best open model for writing SQL?",
    "Which small models are good at reading scanned invoices?",
    "How good are models at olympiad-style maths?",
    "What is the SWE-bench Verified score of the newest coding model?",
    "Which models report results on GPQA Diamond?",
    "Did anyone reproduce the TruthfulQA numbers?",
    "What does Gemma 2 27B score on MMLU-Pro?",
    "Which releases came with open weights under Apache 2.0?",
    "Which models use the OpenRAIL-M licence?",
    "What models have open weights?",
    # labs, vendors, tools
    "What did Helios AI release?",
    "Who invested in Foundry Nine?",
    "What is Meridian Labs working on?",
    "What is the Flint serving engine?",
    "What is new in the Quiver quantization toolkit?",
    "How does the Cairn speculative decoding library speed up inference?",
    "What is Lodestar KV-cache compression?",
    "What does Kernelworks Serve cost per million tokens?",
    "Is Hyperplane Inference faster than Inferix API?",
    "Which evaluation harness should I use for agents?",
    "What did Tachyon Semiconductor announce about the T-series?",
    "What is Vantage Humanoid?",
    "How much funding did Northgate Capital put into AI startups?",
    # training and compute
    "How many H100 GPU hours did training take?",
    "How many MI300X GPUs were used for pretraining?",
    "What post-training recipe uses SFT plus reinforcement learning from verifiable rewards?",
    "Why does data deduplication matter for pretraining?",
    "What is new in document OCR on consumer GPUs?",
    "What are the limits of video understanding models?",
    "What is the state of chart reasoning?",
    "How do people distill reasoning into small models?",
    "What is preference optimization and does it survive a second seed?",
    "What did the paper on calibrated mixture-of-experts training propose?",
    "Which papers were accepted at NeurIPS about tokenization?",
    "What is the gap between open and closed models on video generation?",
    # policy and events
    "What did the EU AI Office publish about general-purpose AI models?",
    "What did the UK AI Security Institute say about model evaluations?",
    "Is there a bill on deepfake labelling?",
    "What are the rules on export of AI accelerators?",
    "What did the US Copyright Office say about training data?",
    "Which podcasts talked about model licensing regimes?",
    "Who was a guest talking about training code releases?",
    "What happened with datacenter buildouts and liquid-cooled racks?",
    # plain keyword-ish and long questions
    "full-duplex voice",
    "GGUF quantizations",
    "Tell me everything the feed says about speculative decoding, KV-cache compression and paged attention "
    "in serving engines for large language models this year",
    # things the store never mentions
    "Who founded the Zorblax quantum bakery?",
    "What is the flurbo score of Quaxle-9?",
    "When did the Krakatoa Federation ban marzipan?",
    # hostile syntax
    '" NEAR( * - OR AND',
    'title:Orion "unbalanced',
    "MMLU* -HellaSwag NOT (GSM8K OR)",
    "^^^ :: {} [] ;;",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=BENCH / "data" / "rank" / "store.sqlite")
    parser.add_argument("--runs", type=int, default=3, help="Timed asks per question (after one warm-up).")
    parser.add_argument("--show", type=int, default=3, help="Print this many answers in full.")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not args.store.exists():
        print(
            f"{args.store} is missing: build it with `.venv/bin/python bench/make_rank_store.py` (~3 minutes)",
            file=sys.stderr,
        )
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="hs-ask-bench-"))
    try:
        db = tmp / "store.sqlite"
        shutil.copy(args.store, db)
        with highsignal.open(db) as lib:
            return _run(lib, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(lib: highsignal.Library, args: argparse.Namespace) -> int:
    n_items = lib.store.count_items()
    print(f"store: {n_items:,} items; {len(QUESTIONS)} questions x {args.runs} timed runs, offline mode\n")
    for q in QUESTIONS:  # warm-up: page cache, regexes, imports
        ask(lib, q, offline=True)
    times: list[float] = []
    per_question: list[tuple[float, str, str, int]] = []
    for q in QUESTIONS:
        mine = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            answer = ask(lib, q, offline=True)
            mine.append((time.perf_counter() - t0) * 1000)
        times += mine
        per_question.append((statistics.median(mine), q, answer.mode, len(answer.citations)))
    p50, p95 = statistics.median(times), percentile(times, 95)
    modes = Counter(mode for _, _, mode, _ in per_question)
    print(f"ask latency  p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   max {max(times):6.1f} ms   (n={len(times)})")
    print(f"goal p95 <= 300 ms: {'met' if p95 <= 300 else 'NOT met'}")
    print("modes: " + ", ".join(f"{m} {n}" for m, n in sorted(modes.items())))
    print("\nslowest questions (median ms, mode, citations):")
    for ms, q, mode, cites in sorted(per_question, reverse=True)[:8]:
        print(f"  {ms:6.1f}  {mode:10}  {cites}  {q[:90]}")
    for q in QUESTIONS[: args.show]:
        print("\n" + render_terminal(ask(lib, q, offline=True)))
    payload = {
        "store": str(args.store),
        "items": n_items,
        "questions": len(QUESTIONS),
        "runs": args.runs,
        "p50_ms": p50,
        "p95_ms": p95,
        "max_ms": max(times),
        "modes": dict(modes),
        "per_question": [{"question": q, "median_ms": ms, "mode": m, "citations": c} for ms, q, m, c in per_question],
    }
    print(f"\nresults: {write_results('ask_bench', payload, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
