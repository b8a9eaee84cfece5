#!/usr/bin/env python3
"""Build a synthetic-but-realistic highsignal store of AI feed items for the ranking,
story-clustering and personal-model benchmarks.

Step 1 (generate, deterministic given --seed and the anchor date) writes under --out:
  feeds/NNN-<slug>.xml|.atom  ~--sources RSS 2.0 and Atom feeds of different kinds: lab
                              blogs, vendor blogs, newsletters and aggregators (some of which
                              syndicate other sources' posts), researchers' blogs, arXiv-listing
                              feeds, podcasts (enclosures, itunes:duration, chapters,
                              transcripts) and social-like short posts. --items items in all,
                              spread over the two years before the anchor, denser recently.
  truth.jsonl                 one line per item, in feed order: {"feed": file name, "guid": the
                              item's <guid>/<id> (= highsignal's items.key), "story": id or null};
                              syndicated copies add "copy_of": "<feed>#<guid>", newsletter
                              roundups that touch several stories add "mentions": [ids].
  stories.jsonl               one line per story (a release, paper, launch, funding round, policy
                              event...): id, type, name, date, artefact links, item count.
  sources.jsonl               one line per feed: file, title, kind, declared kind, format, items.
  meta.json                   parameters, anchor, counts, timings, store facts.

Step 2 (build) makes <out>/store.sqlite with highsignal's public API:
  lib = highsignal.open(store); lib.add_source(path, declared_kind=..., fetch=False) per feed;
  lib.refresh(assess=False); lib.assess_pending(progress) -- the last two are exactly what
  lib.refresh(assess=True) does, split so that parse+store and assessment are timed apart.
  The reader's config file is ignored (HIGHSIGNAL_CONFIG points at a missing file) unless
  --use-config, so the stored assessments use the default rubric.

Both steps are cached: feeds are kept while meta.json's parameters (and this script's own
hash) match -- the anchor is compared only when --anchor is given -- and the store while it
was built from those feeds; --force redoes both. Reusing a store only assesses (and relates)
what the current highsignal has not.

Stories: ~3% of --items (--stories). Each is covered by 1-15 planned items from different
sources over days to weeks (primary post first, social within hours, newsletters, analysis and
podcasts later), plus for some an arXiv listing of the technical report, syndicated near-duplicate
copies (~5%: aggregators, wire copy), and one-off posts that name a model in their title within
three weeks of its release (counted as its coverage while the story has fewer than 15 items).
Some items link the artefacts (huggingface.co/org/model, arxiv.org/abs/..., github.com/org/repo,
sometimes spelled another way), others name the thing only in prose. Hard cases on purpose:
newsletter roundups touching several stories (story null, "mentions"), variants and follow-ups of
one model family (Orion-3, Orion-3.5, Orion-3 Coder), later evaluations that name a model, new
releases of a tool that link the same repository. Everything else is one-off (story null).

Quick smoke run:  .venv/bin/python bench/make_rank_store.py --items 2000   (-> bench/data/rank/items-2000/)
Full store:       .venv/bin/python bench/make_rank_store.py                 (-> bench/data/rank/, 100,000 items)
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import math
import os
import random
import re
import shutil
import string
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DEFAULT_OUT = BENCH_DIR / "data" / "rank"

GENERATOR_VERSION = 1
SPAN_DAYS = 730  # items cover the two years before the anchor
RECENCY = 1.6  # age = SPAN * u**RECENCY: about 14% of items in the last month, 65% in the last year
MAX_COVERAGE = 15  # one-offs are attributed to a release only while it has fewer items than this
MAX_DELAY_H = 24 * 30  # a story's coverage runs for at most a month after the event
MAX_BODY = 3000
MIN_BODY = 300

# --------------------------------------------------------------------------- vocabulary

LAB_NAMES = [
    "Helios AI", "Meridian Labs", "Polaris Research", "Northwind AI", "Kestrel Labs", "Arcadia Intelligence",
    "Lumen Research", "Cobalt AI", "Tessellate", "Fathom Labs", "Juniper AI", "Quanta Systems", "Boreal AI",
    "Sable Research", "Halcyon Labs", "Vireo AI", "Ardent Labs", "Stratus AI", "Orrery Research", "Basalt AI",
    "Cirrus Labs", "Larkspur AI", "Monolith Research", "Pinecrest AI", "Redshift Labs", "Saltmarsh AI",
    "Tidewater Research", "Umbra Labs", "Wavelet AI", "Zenith Research", "Eastlake AI Institute",
    "Open Commons AI", "Nimbus Collective", "Gradient Harbor", "Foundry Nine", "Silverleaf AI", "Anvil Research",
    "Bright Fjord Labs", "Copperline AI", "Driftwood Research", "Everglow AI", "Fieldstone Labs", "Glasswing AI",
    "Hollowpoint Research", "Ironbark AI", "Kelpie Labs",
]  # fmt: skip
FAMILY_NAMES = [
    "Orion", "Lyra", "Vega", "Atlas", "Quill", "Tern", "Kite", "Fjord", "Cinder", "Marlin", "Osprey",
    "Pike", "Rook", "Saffron", "Talon", "Wren", "Yarrow", "Zinnia", "Aurora", "Dune", "Estuary", "Fennel", "Gale",
    "Heron", "Iris", "Jasper", "Moraine", "Nova", "Opal", "Petrel", "Quasar", "Rill", "Sirocco",
    "Tundra", "Velvet", "Willow", "Xenon", "Yucca", "Zephra", "Alder", "Bramble", "Cassia", "Delphin", "Egret",
    "Garnet", "Hazel", "Indigo", "Kelvin", "Loon", "Mica", "Nettle", "Onyx", "Plover", "Quokka",
    "Raven", "Sorrel", "Thistle", "Umber", "Vesper", "Wisp", "Axiom", "Beryl", "Comet", "Dagny", "Ember",
    "Arbor", "Brisk", "Caldera", "Dorado", "Eider", "Ferro", "Glint", "Halo", "Ibex", "Jadeite", "Kora", "Lumo",
    "Nereid", "Oriel", "Pallas", "Rhea", "Solace", "Tessera", "Ursa", "Vanta", "Wyvern", "Xylo", "Yonder",
    "Zircon", "Acacia", "Bodhi", "Corvo", "Drift", "Elara", "Fable", "Helix", "Inkwell", "Juno", "Kappa", "Lark",
    "Maple", "Nimbo", "Pico", "Quest", "Rune", "Tide", "Whisk", "Yeti", "Zest", "Bolt", "Cedar", "Dusk", "Ecco",
]  # fmt: skip
UNIVERSITIES = [
    "Northlake University", "Eastbrook Institute of Technology", "University of Westmere", "Carrow College",
    "Tamsin University", "Halden Tech", "University of Brightwater", "Ashford Polytechnic", "Kingsport University",
    "Lindqvist Institute", "Université de Montclair", "Technische Hochschule Rautenberg", "Sakuragawa University",
    "Osterby University", "National Institute of Informatics Varn",
]  # fmt: skip
VENDORS = [
    ("Hyperplane Cloud", "Hyperplane Inference", "cloud"), ("Kernelworks", "Kernelworks Serve", "inference"),
    ("Lattice Compute", "Lattice GPU Cloud", "cloud"), ("Promptwise", "Promptwise Studio", "platform"),
    ("Vectorvault", "Vectorvault DB", "database"), ("Servewell", "Servewell Endpoints", "inference"),
    ("Blocksmith Data", "Blocksmith Pipelines", "data"), ("Tracewell", "Tracewell Observability", "observability"),
    ("Datadock", "Datadock Labeling", "data"), ("Stackline", "Stackline Agents", "agents"),
    ("Tensorforge", "Tensorforge Train", "training"), ("Inferix", "Inferix API", "inference"),
    ("Quarry Labs", "Quarry Search", "search"), ("Beaconly", "Beaconly Evals", "evaluation"),
    ("Mosaicly", "Mosaicly Fine-Tuning", "training"), ("Rivetstack", "Rivetstack Gateway", "platform"),
    ("Northbeam Systems", "Northbeam Accelerators", "hardware"),
    ("Tachyon Semiconductor", "Tachyon T-series", "hardware"),
    ("Corvid Silicon", "Corvid CX", "hardware"), ("Parsec Cloud", "Parsec Clusters", "cloud"),
    ("Ledgerline", "Ledgerline Guard", "safety"), ("Fernway", "Fernway Voice", "speech"),
    ("Pixelgrain", "Pixelgrain Studio", "multimodal"), ("Graphwell", "Graphwell RAG", "search"),
    ("Sandcastle", "Sandcastle Sandboxes", "agents"), ("Keystone ML", "Keystone Platform", "platform"),
    ("Loopwise", "Loopwise Copilot", "products"), ("Brightlane", "Brightlane Assist", "products"),
    ("Clearwater Robotics", "Clearwater Arm", "robotics"), ("Vantage Dynamics", "Vantage Humanoid", "robotics"),
    ("Moth & Lantern", "Lantern Notes", "products"), ("Outpost AI", "Outpost Edge", "inference"),
    ("Relaymark", "Relaymark Router", "platform"), ("Cobblestone", "Cobblestone Vector", "database"),
    ("Sparrowhawk", "Sparrowhawk Eval Suite", "evaluation"), ("Wharfside", "Wharfside Compute", "cloud"),
]  # fmt: skip
TOOLS = [
    ("Flint", "serving engine for large language models", "flint-serve"),
    ("Rivet", "fine-tuning toolkit", "rivet-tune"), ("Sieve", "data filtering library", "sieve-data"),
    ("Loom", "agent orchestration framework", "loom-agents"), ("Beacon", "evaluation harness", "beacon-eval"),
    ("Ledger", "tracing library for LLM apps", "ledger-trace"), ("Quiver", "quantization toolkit", "quiver-quant"),
    ("Trellis", "structured generation library", "trellis-gen"),
    ("Harbor", "distributed training framework", "harbor-train"),
    ("Spindle", "tokenizer library", "spindle-tok"), ("Mantle", "retrieval framework", "mantle-rag"),
    ("Cairn", "speculative decoding library", "cairn-spec"), ("Gantry", "GPU scheduler", "gantry-sched"),
    ("Prism", "interpretability toolkit", "prism-interp"), ("Tideline", "speech recognition toolkit", "tideline-asr"),
    ("Kiln", "synthetic data generator", "kiln-synth"), ("Sextant", "robot learning library", "sextant-rl"),
    ("Paddock", "sandbox for code agents", "paddock-sandbox"),
    ("Lodestar", "KV-cache compression library", "lodestar-kv"),
    ("Weir", "rate-limit aware API client", "weir-client"),
]  # fmt: skip
INVESTORS = [
    "Northgate Capital", "Ridgeline Partners", "Bluewater Ventures", "Sandhill Eleven", "Foundry Row Capital",
    "Meadowlark Ventures", "Octave Growth", "Lantern Street Partners", "Harborview Capital", "Seventh Wave Ventures",
]  # fmt: skip
FIRST = [
    "Maya", "Rui", "Amara", "Jonas", "Priya", "Tomás", "Lena", "Kwame", "Aiko", "Mateo", "Sofia", "Arjun", "Hana",
    "Diego", "Ingrid", "Yusuf", "Chen", "Noor", "Elias", "Fatima", "Ravi", "Clara", "Oskar", "Leila", "Daniel",
    "Mei", "Samuel", "Zainab", "Felix", "Ana", "Kenji", "Nadia", "Victor", "Ines", "Omar", "Julia", "Tariq",
    "Emma", "Hugo", "Ayesha", "Marco", "Sana", "Lukas", "Isabel", "Kofi", "Vera", "Niklas", "Yara", "Pedro", "Lin",
]  # fmt: skip
LAST = [
    "Okafor", "Nakamura", "Lindqvist", "Patel", "Herrera", "Schmidt", "Mensah", "Tanaka", "Rossi", "Kowalski",
    "Haddad", "Chen", "Fischer", "Silva", "Novak", "Ibrahim", "Park", "Müller", "Garcia", "Andersen", "Singh",
    "Dubois", "Kim", "Costa", "Yilmaz", "Ito", "Petrov", "Moreau", "Eriksen", "Ahmed", "Nguyen", "Brennan",
    "Van Dijk", "Sato", "Oliveira", "Kaur", "Larsen", "Castillo", "Weber", "Abe", "Farouk", "Holm", "Marsh",
]  # fmt: skip
NEWSLETTER_NAMES = [
    "The Gradient Descent", "Import Tokens", "Weights & Measures", "The Batch Norm", "Last Week in Tokens",
    "Attention Span", "The Residual Stream", "Latent Notes", "Model Drift", "The Inference Report",
    "Parameter Golf", "The Loss Curve", "Context Window Weekly", "Frontier Digest", "The Open Weights Letter",
    "Eval Season", "Tokenomics", "The Sparse Update", "Checkpoint", "The Warmup", "Embedding Space",
    "Softmax Sunday", "The Long Context", "Alignment Memo", "Agents Weekly", "The Compute Ledger",
    "Robot Learning Digest", "Speech & Sound AI", "Policy Tensor", "The Model Card", "Dataset Digest",
    "Benchmarks & Baselines", "The GPU Report", "Deploy Friday",
]  # fmt: skip
AGGREGATOR_NAMES = ["Planet Machine Learning", "AI Reposts", "ML Feed Mirror", "The Syndicate: AI", "Hacker Notes AI"]
PODCAST_NAMES = [
    "The Forward Pass", "Tokens & Tensors", "Inference Hour", "The Eval Room", "Context Window", "Gradient Talks",
    "Open Weights Radio", "The Alignment Hour", "Machine Minds", "Latent Conversations", "The Compute Show",
    "Robots in Practice", "Deep Dive ML", "The Research Room", "AI Builders", "Paper Club Live",
    "The Scaling Pod", "Policy & Models", "Ship It: AI Edition", "The Agent Loop", "Signal in the Noise",
    "Two Researchers Walk Into a Lab", "Fine-Tuned", "The Benchmark Pod", "Voice of Inference", "The Data Diet",
]  # fmt: skip
MEDIA_A = ["The Machine", "AI", "Frontier", "Circuit", "Neural", "Silicon", "Model", "Compute", "Future", "Signal"]
MEDIA_B = ["Desk", "Wire", "Daily", "Report", "Times", "Dispatch", "Brief", "Ledger", "Review", "Post", "Journal"]
BLOG_NAMES = [
    "Gradient Notes", "Off the Manifold", "Overfit", "Bits and Biases", "Notes from the Loss Landscape",
    "Random Seeds", "The Null Hypothesis", "Mostly Matrices", "Slow Thoughts on Fast Models", "Hidden States",
    "Marginal Likelihood", "Unsupervised", "Stochastic Parrots Anonymous", "Local Minima", "Just Another Baseline",
    "Tokens All the Way Down", "Dropout", "Eval Notes", "Sample Efficiency", "Backprop Diaries",
]  # fmt: skip
GENERATORS = ["WordPress 6.6", "Ghost 5.89", "Hugo 0.134", "Jekyll v4.3.3", "Substack", "Medium", "Astro", "Eleventy"]

AREAS: dict[str, list[str]] = {
    "pretraining": [
        "data mixtures", "tokenizer design", "scaling laws", "data deduplication", "curriculum schedules",
        "long-context pretraining", "learning-rate schedules", "synthetic pretraining data",
        "mixture-of-experts routing", "compute-optimal training", "web-scale filtering", "multilingual data",
        "code data ratios", "loss spikes", "warmup-stable-decay schedules", "data repetition",
        "hyperparameter transfer", "training stability",
    ],
    "post-training": [
        "instruction tuning", "preference optimization", "DPO variants", "RLHF reward models",
        "reinforcement learning from verifiable rewards", "rejection sampling", "chain-of-thought distillation",
        "reward hacking", "constitutional feedback", "supervised fine-tuning data", "model merging",
        "LoRA adapters", "refusal calibration", "reasoning traces", "process reward models",
    ],
    "evaluation": [
        "benchmark contamination", "held-out evals", "LLM-as-a-judge", "pass@k", "eval harnesses",
        "leaderboard saturation", "human preference evals", "long-context retrieval tests", "agentic evals",
        "calibration error", "private test sets", "eval variance across seeds", "prompt sensitivity",
    ],
    "inference": [
        "speculative decoding", "KV-cache compression", "paged attention", "4-bit quantization",
        "batching strategies", "prefix caching", "latency per token", "throughput per dollar",
        "attention kernels", "structured generation", "serving costs", "draft models", "continuous batching",
        "CPU offloading",
    ],
    "hardware": [
        "HBM bandwidth", "interconnect topology", "accelerator supply", "liquid-cooled racks", "custom silicon",
        "FP8 training", "cluster utilization", "power budgets", "inference chips", "GPU rental prices",
        "NVLink domains", "memory capacity per chip", "datacenter buildouts",
    ],
    "agents": [
        "tool calling", "computer-use agents", "multi-step planning", "browser agents", "agent memory",
        "function-calling reliability", "long-horizon tasks", "coding agents", "agent sandboxes",
        "self-correction loops", "task decomposition", "MCP servers", "orchestration frameworks",
    ],
    "multimodal": [
        "vision-language models", "image tokenizers", "video understanding", "document OCR", "chart reasoning",
        "interleaved image-text data", "image generation", "diffusion transformers", "visual grounding",
        "video generation", "native multimodal pretraining",
    ],
    "speech": [
        "speech recognition", "text-to-speech", "voice cloning safeguards", "full-duplex voice",
        "speech tokenizers", "low-latency voice agents", "multilingual ASR", "neural audio codecs",
        "prosody control", "speaker diarization",
    ],
    "robotics": [
        "vision-language-action models", "sim-to-real transfer", "teleoperation data", "humanoid control",
        "dexterous manipulation", "robot foundation models", "world models", "embodied benchmarks",
        "policy learning from video", "low-cost robot arms",
    ],
    "safety": [
        "red-teaming", "jailbreak robustness", "interpretability probes", "sparse autoencoders",
        "dangerous-capability evaluations", "sandbagging", "deceptive alignment", "system cards",
        "refusal behaviour", "chain-of-thought monitoring", "responsible scaling policies", "watermarking",
        "prompt injection",
    ],
    "policy": [
        "the EU AI Act", "codes of practice for general-purpose models", "export controls", "compute thresholds",
        "copyright litigation", "state AI bills", "model licensing regimes", "AI safety institutes",
        "transparency reports", "open-weight model policy", "liability rules", "public compute programmes",
    ],
    "open-source": [
        "open-weight releases", "permissive licences", "community fine-tunes", "GGUF quantizations",
        "open datasets", "reproducible training runs", "model cards", "open evaluation suites",
        "community leaderboards", "training code releases",
    ],
    "business": [
        "funding rounds", "inference pricing", "enterprise adoption", "compute deals", "acquisitions",
        "revenue run-rates", "token price cuts", "talent moves", "cloud partnerships", "API margins",
        "startup valuations",
    ],
    "products": [
        "coding assistants", "chat app features", "enterprise search", "AI note-taking", "voice assistants",
        "AI-native IDEs", "customer-support bots", "agents in the browser", "developer platforms",
        "on-device models", "API rate limits", "memory features",
    ],
}  # fmt: skip
AREA_LIST = list(AREAS)
AREA_WEIGHTS = [10, 9, 9, 9, 5, 9, 6, 3, 3, 6, 5, 7, 6, 6]

TASKS = [
    "writing SQL", "reading scanned invoices", "refactoring legacy Java", "summarising long meeting notes",
    "multi-hop questions", "translating technical docs", "writing unit tests", "log triage",
    "olympiad-style maths", "reading charts", "long-document QA", "agentic web tasks", "Rust borrow-checker errors",
]  # fmt: skip
GPUS = ["H100", "H200", "A100", "B200", "MI300X", "H800", "GB200", "L40S", "TPU v5e"]
CONFS = ["NeurIPS", "ICML", "ICLR", "ACL", "CVPR", "EMNLP", "COLM", "CoRL"]
BASELINES = [
    ("GPT-4o", None), ("GPT-4o mini", None), ("Claude 3.5 Sonnet", None), ("Gemini 1.5 Pro", None),
    ("Llama 3.1 70B", 70), ("Llama 3.1 8B", 8), ("Qwen2.5 72B", 72), ("Qwen2.5 7B", 7), ("Mistral Large", 123),
    ("DeepSeek-V3", 671), ("Gemma 2 27B", 27), ("Phi-4", 14), ("Llama 3.1 405B", 405),
]  # fmt: skip
LICENCES_OPEN = ["Apache 2.0", "Apache 2.0", "MIT", "CC-BY-4.0", "CC-BY-NC-4.0", "OpenRAIL-M"]
DATA_LICENCES = ["ODC-BY", "CC-BY-4.0", "CC-BY-SA-4.0", "Apache 2.0", "CC0"]
SPONSORS = [
    ("Vectorly", "the vector database built for RAG", "vectorly.example"),
    ("GPUHut", "on-demand GPUs by the minute", "gpuhut.example"),
    ("Promptline", "prompt management for teams", "promptline.example"),
    ("Evalcraft", "continuous evals for LLM apps", "evalcraft.example"),
    ("Shipyard", "deploy models without the yak shaving", "shipyard.example"),
    ("Notewell", "the AI notebook for researchers", "notewell.example"),
]  # fmt: skip
PT_METHODS = [
    "supervised fine-tuning followed by DPO", "SFT plus reinforcement learning from verifiable rewards",
    "a mix of SFT, preference optimization and model merging", "RLHF with a new reward model",
    "distillation from a larger internal model and a short RL phase",
]  # fmt: skip
METHOD_A = [
    "Sparse", "Flash", "Lite", "Mix", "Fuse", "Prism", "Echo", "Loop", "Shift", "Hydra", "Pilot", "Scope",
    "Bridge", "Anchor", "Relay", "Thread", "Weave", "Forge", "Lens", "Quant", "Route", "Spec", "Chunk", "Tree",
    "Graph", "Token", "Prompt", "Reward", "Critic", "Plan", "Memo", "Vision", "Sound", "Robo", "Safe", "Probe",
]  # fmt: skip
METHOD_B = [
    "Route", "Merge", "Cache", "Tune", "Align", "Net", "Former", "Bench", "Guard", "Search", "Mind", "Step",
    "Gate", "Skip", "Distill", "Pack", "Flow", "Scale", "Chain", "Judge", "Zip", "Fold", "Draft", "Sync",
]  # fmt: skip
ADJ = ["Efficient", "Scalable", "Robust", "Faithful", "Adaptive", "Training-Free", "Sample-Efficient", "Verifiable",
       "Lightweight", "Unified", "Data-Efficient", "Calibrated", "Interpretable", "Hierarchical"]  # fmt: skip
PAPER_TASKS = {
    "pretraining": ["Language Model Pretraining", "Data Selection", "Tokenization", "Mixture-of-Experts Training"],
    "post-training": ["Preference Optimization", "Reasoning Distillation", "Instruction Tuning", "Reward Modeling"],
    "evaluation": ["LLM Evaluation", "Contamination Detection", "Judge Calibration", "Long-Context Evaluation"],
    "inference": ["Long-Context Inference", "Speculative Decoding", "KV-Cache Compression", "Low-Bit Quantization"],
    "hardware": ["Accelerator Scheduling", "Distributed Training", "Energy-Aware Inference"],
    "agents": ["Tool-Using Agents", "Web Navigation", "Software Engineering Agents", "Multi-Agent Planning"],
    "multimodal": ["Vision-Language Reasoning", "Document Understanding", "Video Generation", "Visual Grounding"],
    "speech": ["Speech Recognition", "Expressive Text-to-Speech", "Spoken Dialogue", "Audio Tokenization"],
    "robotics": ["Robot Manipulation", "Sim-to-Real Transfer", "Humanoid Locomotion", "Embodied Planning"],
    "safety": ["Jailbreak Defense", "Mechanistic Interpretability", "Deception Detection", "Unlearning"],
    "policy": ["AI Governance", "Compute Accounting", "Model Auditing"],
    "open-source": ["Open Model Development", "Reproducible Training", "Community Evaluation"],
    "business": ["Cost-Aware Model Selection", "LLM Adoption"],
    "products": ["Code Completion", "Conversational Search", "Personal Assistants"],
}

GENERIC_SENTENCES = [
    "The interesting part is the interaction between {a} and {b}.",
    "Most of the gains seem to come from {a}, not from {b}.",
    "The real engineering work happens in {a}, and it rarely makes the headline.",
    "We ran {model} through our internal suite and saw about {pct}% fewer failures on tasks that stress {a}.",
    "If you care about {a}, the section on {b} is worth reading twice.",
    "It is still unclear what happens to {a} at larger scale.",
    "Several practitioners pointed out how sensitive {a} can be to {b}.",
    "There is a real tradeoff between {a} and {b} that nobody in the announcement discusses.",
    "{person} argued on a recent panel that {a} will matter more than {b} over the next year.",
    "In our experience, the failures in {a} are boring long before they are interesting.",
    "The numbers look good, but without details on {a} they are hard to interpret.",
    "A year ago, work on {a} was a research curiosity; now every serious team has an opinion about it.",
    "Compared with last year, the cost of {a} has dropped by roughly {x}x.",
    "{org} has been quietly investing in {a} for a while, and it shows.",
    "The ablations suggest that most of the improvement comes from {a}.",
    "None of this solves {b}; it just moves the bottleneck to {a}.",
    "Expect a wave of follow-up work on {a} in the coming weeks.",
    "For teams running in production, the part to watch is {a}.",
    "The community reaction has mostly focused on {a}, which misses the bigger point about {b}.",
    "We should be careful about reading too much into a single result on {bench}.",
    "Our rule of thumb: measure {a} on your own data before trusting anyone's chart.",
    "Honestly, getting {a} right is still more art than science.",
    "What changed is not {a} itself but how cheaply you can now experiment with it.",
    "{A} and {b} are converging faster than most roadmaps assumed.",
    "I would love to see a careful comparison of {a} against a strong baseline.",
    "The write-up is refreshingly candid about the limits of {a}.",
    "On our hardware, {a} added about {n} ms of latency per request.",
    "This is another data point in the long-running debate about {a}.",
    "Several open questions remain, especially around {a} and {b}.",
    "The practical takeaway: start with {a}, and only reach for {b} when you need it.",
    "It is a good reminder that getting {a} right is a systems problem as much as a modelling one.",
    "Nobody we talked to expected {a} to improve this quickly.",
    "The gap between open and closed models on {a} keeps shrinking.",
    "Benchmarks like {bench} are saturating, so the interesting signal is now in {a}.",
    "Whether this generalises beyond {a} is the question to ask.",
    "We tried the same setup on {n2} {gpu}s and the picture for {a} did not change much.",
    "{person}, who works on {a} at {org}, called the result 'plausible but under-specified'.",
    "My guess is that {a} will look very different by {conf} next year.",
    "The paper trail on {a} is thin, so treat the claims as provisional.",
    "If you only read one thing about {a} this month, make it this.",
    "Teams that skipped {a} last year are now paying for it in {b}.",
    "The chart everyone shared leaves out {b}, which changes the story.",
    "We have been burned by {a} before, so we reran everything twice.",
    "Small teams can now afford {a}, which is the real news here.",
]  # fmt: skip
AREA_SENTENCES = {
    "pretraining": [
        "The data mixture shifted towards code and maths, roughly {pct}% of tokens by the end of training.",
        "Loss curves stayed smooth after switching to a warmup-stable-decay schedule.",
        "Deduplicating at the document level removed about {pct}% of the crawl.",
        "The tokenizer change alone saved around {pct}% of sequence length on non-English text.",
    ],
    "post-training": [
        "Most of the reasoning gains come from a short RL phase on verifiable maths and code problems.",
        "Preference data was collected from {n2} annotators over several weeks.",
        "Reward hacking showed up as overly long answers until a length penalty was added.",
        "Merging the SFT and RL checkpoints recovered most of the lost instruction following.",
    ],
    "evaluation": [
        "Scores on {bench} move by several points depending on the prompt template.",
        "A held-out set built after the training cutoff tells a more modest story.",
        "LLM judges prefer longer answers, which inflates some leaderboard numbers.",
        "Running each eval with {n} seeds shows a spread of about two points.",
    ],
    "inference": [
        "With speculative decoding, tokens per second roughly doubled on a single {gpu}.",
        "The 4-bit build fits in {n2} GB of VRAM with little quality loss.",
        "Prefix caching cut time-to-first-token by about {pct}% for chat workloads.",
        "Throughput per dollar is now the number most buyers ask about.",
    ],
    "hardware": [
        "Memory bandwidth, not FLOPs, is the constraint for decoding at this scale.",
        "A rack of {n2} accelerators now draws more power than a small office building.",
        "Rental prices for {gpu} capacity fell again this quarter.",
        "Interconnect topology decides how well large mixture-of-experts models scale across nodes.",
    ],
    "agents": [
        "The agent completed {pct}% of tasks end to end, but failures cluster around long-horizon planning.",
        "Tool-call errors, not reasoning, were the most common failure mode in our logs.",
        "Sandboxing the agent's shell access is non-negotiable for anything touching production.",
        "Memory across sessions is still the feature users ask for most.",
    ],
    "multimodal": [
        "Document OCR quality is now good enough for most invoices and forms.",
        "Video understanding still degrades quickly beyond a few minutes of footage.",
        "Chart reasoning remains a weak spot, especially for stacked bar charts.",
        "Interleaved image-text pretraining seems to matter more than a bigger vision encoder.",
    ],
    "speech": [
        "End-to-end latency for the voice agent is under {n}0 ms on a good connection.",
        "Word error rates on accented English dropped noticeably with the new model.",
        "Voice cloning safeguards now require consent recordings for custom voices.",
        "Full-duplex conversation makes interruptions feel natural for the first time.",
    ],
    "robotics": [
        "The policy was trained on about {n}k teleoperated episodes and a large video corpus.",
        "Sim-to-real transfer still fails on deformable objects like cloth and cables.",
        "A low-cost arm with a wrist camera is enough to reproduce most of the results.",
        "Success rates drop sharply once the scene layout changes.",
    ],
    "safety": [
        "The red team found jailbreaks that transfer across several model families.",
        "Sparse autoencoder features make some refusals easier to explain.",
        "Dangerous-capability evaluations were run before and after safety training.",
        "Monitoring chain-of-thought catches some, but not all, reward hacking.",
    ],
    "policy": [
        "The obligations mostly apply to models trained above a compute threshold.",
        "Open-weight developers get lighter transparency duties under the draft.",
        "Industry groups asked for a longer transition period.",
        "Copyright questions remain the most contested part of the text.",
    ],
    "open-source": [
        "The community had GGUF quantizations up within hours of the release.",
        "A permissive licence makes it easy to build on commercially.",
        "The model card is unusually complete, down to the data mix.",
        "Community fine-tunes already top several niche leaderboards.",
    ],
    "business": [
        "Token prices for frontier-class models fell by about {x}x over the year.",
        "Enterprise buyers increasingly ask about data residency before accuracy.",
        "Compute deals are now announced in gigawatts rather than GPUs.",
        "Margins on API resale remain thin.",
    ],
    "products": [
        "The feature is rolling out to paid users first.",
        "Users can now pin memories and delete them individually.",
        "The IDE integration works with the major editors.",
        "Rate limits on the free tier were tightened at the same time.",
    ],
}
# Sentences for items about a story: they name it again, as real coverage does.
STORY_SENTENCES = [
    "What stands out about {name} is {a}.",
    "I spent some time with {name} this week, focusing on {a}.",
    "{Who} has not said much about {a} in the {name} materials.",
    "People will be comparing {name} with {baseline} for a while.",
    "If {name} holds up, it changes how teams think about {a}.",
    "The {name} announcement is light on details about {a}.",
    "Several readers asked whether {name} is worth switching to. It depends on {a}.",
    "For now, {name} looks like {what}, nothing more and nothing less.",
    "The reaction to {name} has been mostly positive, with some scepticism about {a}.",
    "{Who} clearly timed {name} to land before {conf}.",
]
SOCIAL_POSTS = [
    "Hot take: {a}? Overrated. The wins are in {b}.",
    "{model} is surprisingly good at {task}. Did not expect that.",
    "Anyone else seeing regressions with {a} after the latest update?",
    "Spent the weekend on {a}. Thoughts below 🧵",
    "PSA: check your {a} before blaming {model}.",
    "Slides from my {conf} talk on {a} are online.",
    "Unpopular opinion: most {a} results would not survive a second seed.",
    "Reading group this week: {a}, and what it means for {b}.",
    "The most underrated skill in ML right now is boring, careful {a}.",
    "Tried {model} for {task} today. Verdict: solid, not magic.",
    "If your eval does not cover {a}, you do not have an eval.",
    "New blog post: what we learned about {a} after {n} weeks in production.",
    "We are hiring people who like {a} at {org}. DMs open.",
    "Every week someone rediscovers {a}. This week it was {person}. That is fine, the field is big.",
]  # fmt: skip

# --------------------------------------------------------------------------- template filling

_FMT = string.Formatter()


class Tpl:
    __slots__ = ("f", "t")

    def __init__(self, t: str) -> None:
        self.t = t
        self.f = tuple(dict.fromkeys(f for _, f, _, _ in _FMT.parse(t) if f))


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


@dataclass(slots=True)
class Ctx:
    area: str
    when: datetime
    model: str | None = None
    org: str | None = None
    story: Story | None = None  # set for items about a story: its sentences name it
    name: str | None = None
    used: set = field(default_factory=set)  # templates already used in this item


class Words:
    """Everything a template slot can be filled with; shared by all writers."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.generic = [Tpl(t) for t in GENERIC_SENTENCES]
        self.by_area = {k: [Tpl(t) for t in v] for k, v in AREA_SENTENCES.items()}
        self.story = [Tpl(t) for t in STORY_SENTENCES]
        self.social = [Tpl(t) for t in SOCIAL_POSTS]

    def np(self, rng: random.Random, area: str, avoid: str | None = None) -> str:
        pool = AREAS[area]
        s = rng.choice(pool)
        if s == avoid:
            s = pool[(pool.index(s) + 1) % len(pool)]
        return s

    def fill(self, tpl: Tpl, rng: random.Random, ctx: Ctx, extra: dict[str, str] | None = None) -> str:
        vals: dict[str, str] = dict(extra) if extra else {}
        a = None
        for f in tpl.f:
            if f in vals:
                continue
            if f in ("a", "A"):
                if a is None:
                    a = self.np(rng, ctx.area)
                vals[f] = a if f == "a" else cap(a)
            elif f in ("b", "B"):
                if a is None:
                    a = self.np(rng, ctx.area)
                b = self.np(rng, ctx.area if rng.random() < 0.7 else rng.choice(AREA_LIST), avoid=a)
                vals["b"], vals["B"] = b, cap(b)
            else:
                vals[f] = self.slot(f, rng, ctx)
        return tpl.t.format_map(vals)

    def slot(self, f: str, rng: random.Random, ctx: Ctx) -> str:
        w = self.world
        if f == "model":
            return ctx.model or w.known_model(rng, ctx.when)
        if f in ("org", "org2"):
            return ctx.org if (f == "org" and ctx.org and rng.random() < 0.5) else rng.choice(w.orgs).name
        if f == "person":
            return w.person(rng)
        if f == "pct":
            return str(rng.choice([8, 12, 15, 18, 22, 25, 30, 35, 40]))
        if f == "x":
            return str(rng.choice([2, 3, 4, 5, 8, 10]))
        if f == "n":
            return str(rng.randint(4, 90))
        if f == "n2":
            return str(rng.choice([8, 16, 32, 64, 128, 256]))
        if f == "bench":
            return rng.choice(BENCH_NAMES)
        if f == "gpu":
            return rng.choice(GPUS)
        if f == "conf":
            return rng.choice(CONFS)
        if f == "task":
            return rng.choice(TASKS)
        if f == "year":
            return str(ctx.when.year)
        st = ctx.story
        if st is not None:
            if f == "name":
                return ctx.name or st.name
            if f == "Name":
                return cap(ctx.name or st.name)
            if f in ("who", "Who"):
                return story_who(st) or "The team"
            if f == "what":
                return st.what
            if f == "baseline":
                return st.baseline or rng.choice(BASELINES)[0]
        raise KeyError(f)

    def sentence(self, rng: random.Random, ctx: Ctx) -> str:
        for _ in range(8):
            r = rng.random()
            if ctx.story is not None and r < 0.3:
                pool = self.story
            elif r < 0.55:
                pool = self.by_area[ctx.area]
            else:
                pool = self.generic
            tpl = rng.choice(pool)
            if id(tpl) not in ctx.used:
                break
        ctx.used.add(id(tpl))
        return self.fill(tpl, rng, ctx)

    def paragraph(self, rng: random.Random, ctx: Ctx, n: int | None = None) -> str:
        n = n or rng.randint(2, 4)
        return "<p>" + " ".join(self.sentence(rng, ctx) for _ in range(n)) + "</p>"


# --------------------------------------------------------------------------- benchmarks and numbers

# name, low, high (percent scale unless noted)
BENCH_SPECS = [
    ("MMLU", 27, 90), ("MMLU-Pro", 12, 78), ("GPQA Diamond", 24, 72), ("HumanEval", 20, 95), ("GSM8K", 25, 97),
    ("MATH", 8, 92), ("IFEval", 45, 92), ("ARC-Challenge", 35, 97), ("HellaSwag", 50, 95),
    ("SWE-bench Verified", 3, 68), ("LiveCodeBench", 8, 72), ("MBPP", 30, 90), ("BBH", 30, 90),
    ("TruthfulQA", 30, 70),
]  # fmt: skip
VISION_BENCH = ("MMMU", 30, 75)
BENCH_NAMES = [b[0] for b in BENCH_SPECS] + ["MMMU", "MT-Bench", "AlpacaEval", "ARC-AGI"]


def bench_value(rng: random.Random, spec: tuple[str, float, float], strength: float) -> float:
    lo, hi = spec[1], spec[2]
    v = lo + (hi - lo) * max(0.0, min(1.0, strength + rng.gauss(0, 0.06)))
    return round(v, 1)


def fmt_size(b: float) -> str:
    return f"{b:g}B"


def fmt_int(n: int) -> str:
    return f"{n:,}"


# --------------------------------------------------------------------------- world


@dataclass(slots=True)
class Org:
    name: str
    slug: str
    domain: str
    tier: float
    open_rate: float
    families: list[Family] = field(default_factory=list)
    is_uni: bool = False


@dataclass(slots=True)
class Family:
    name: str
    org: Org
    style: str  # hyphen, space, glued
    major: int
    minor: int = 0
    used: set = field(default_factory=set)


@dataclass(slots=True)
class Vendor:
    name: str
    product: str
    category: str
    slug: str
    domain: str


class World:
    def __init__(self, seed: int) -> None:
        rng = random.Random(f"{seed}:world")
        self.orgs: list[Org] = []
        for name in LAB_NAMES:
            slug = slugify(name)
            self.orgs.append(
                Org(
                    name,
                    slug,
                    f"{slug}.example",
                    tier=round(math.exp(rng.gauss(0, 0.7)), 3),
                    open_rate=rng.choice([0.1, 0.4, 0.7, 0.9, 0.95]),
                )
            )
        fams = FAMILY_NAMES[:]
        rng.shuffle(fams)
        i = 0
        for org in self.orgs:
            for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
                if i >= len(fams):
                    break
                org.families.append(
                    Family(fams[i], org, rng.choice(["hyphen", "hyphen", "space", "glued"]), rng.choice([1, 1, 2, 3]))
                )
                i += 1
        self.orgs = [o for o in self.orgs if o.families]
        self.unis = [Org(u, slugify(u), f"{slugify(u)}.example", 1.0, 0.9, is_uni=True) for u in UNIVERSITIES]
        self.vendors = [Vendor(n, p, c, slugify(n), f"{slugify(n)}.example") for n, p, c in VENDORS]
        self.people = sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(400)})
        rng.shuffle(self.people)
        # filled in once stories exist: (date, model name) of every release, for later mentions
        self.release_dates: list[datetime] = []
        self.release_names: list[str] = []
        self.releases: dict[str, Story] = {}
        self.used: set[str] = set()  # names and arXiv ids handed out, so that none is reused by accident

    def person(self, rng: random.Random) -> str:
        return rng.choice(self.people)

    def known_model(self, rng: random.Random, when: datetime) -> str:
        i = bisect.bisect_left(self.release_dates, when)
        if i and rng.random() < 0.75:
            return self.release_names[rng.randrange(max(0, i - 60), i)]
        return rng.choice(BASELINES)[0]


def headline(st: Story) -> str:
    """A plain news sentence (no final full stop): who did what."""
    if st.extra.get("headline"):
        return st.extra["headline"]
    who = story_who(st)
    if st.type == "paper":
        return f"Researchers at {who} propose {st.name}, {st.what}"
    if st.type == "tool":
        return f"The {st.name.rsplit(' ', 1)[0]} maintainers release {st.name}, {st.what}"
    return f"{who} {st.verb} {st.name}, {st.what}"


def article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def own(name: str, who: str) -> bool:
    """Whether an alias already names its maker ("Helios AI's Orion-3", "the new Orion model")."""
    return bool(who) and (name.startswith(who) or name.startswith("the ") or who in name)


def story_who(st: Story) -> str:
    if st.org is not None:
        return st.org.name
    if st.vendor is not None:
        return st.vendor.name
    return st.extra.get("who", "")


SMALL_WORDS = frozenset("a an and as at but by for in of on or the to via vs with".split())


def titlecase(s: str) -> str:
    words = s.split(" ")
    return " ".join(
        w if (i and w in SMALL_WORDS) or any(c.isupper() for c in w) else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )


def slugify(s: str, limit: int = 60) -> str:
    s = s.lower().replace("&", "and").replace("'", "").replace("’", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:limit].rstrip("-")


# --------------------------------------------------------------------------- sources

KIND_SHARE = {  # share of sources
    "lab": 0.10, "vendor": 0.12, "newsletter": 0.11, "researcher": 0.22,
    "arxiv": 0.05, "podcast": 0.08, "social": 0.21, "media": 0.11,
}  # fmt: skip
KIND_VOLUME = {  # share of one-off items by kind of source (split unevenly among the sources of a kind)
    "arxiv": 0.30, "social": 0.22, "media": 0.14, "researcher": 0.08, "vendor": 0.08,
    "newsletter": 0.08, "lab": 0.06, "podcast": 0.04,
}  # fmt: skip
DECLARED = {
    "lab": "lab", "vendor": "vendor", "newsletter": "aggregator", "researcher": "researcher",
    "arxiv": None, "podcast": "podcast", "social": "social", "media": "media",
}  # fmt: skip
ARXIV_CATS = [
    ("cs.CL", "Computation and Language", ["post-training", "evaluation", "pretraining", "agents", "speech"]),
    ("cs.LG", "Machine Learning", ["pretraining", "inference", "post-training", "evaluation", "hardware"]),
    ("cs.CV", "Computer Vision and Pattern Recognition", ["multimodal"]),
    ("cs.AI", "Artificial Intelligence", ["agents", "evaluation", "safety", "policy"]),
    ("stat.ML", "Machine Learning (stat)", ["pretraining", "evaluation"]),
    ("cs.RO", "Robotics", ["robotics"]),
    ("cs.SD", "Sound", ["speech"]),
    ("cs.CR", "Cryptography and Security", ["safety"]),
    ("cs.CY", "Computers and Society", ["policy", "business"]),
    ("cs.IR", "Information Retrieval", ["products", "agents"]),
    ("cs.MA", "Multiagent Systems", ["agents"]),
    ("cs.DC", "Distributed, Parallel, and Cluster Computing", ["hardware", "inference"]),
    ("cs.NE", "Neural and Evolutionary Computing", ["pretraining"]),
    ("cs.HC", "Human-Computer Interaction", ["products", "evaluation"]),
    ("eess.AS", "Audio and Speech Processing", ["speech"]),
]  # fmt: skip


@dataclass(slots=True)
class Src:
    idx: int
    kind: str
    title: str
    slug: str
    domain: str
    fmt: str  # rss, atom
    weight: float
    start: datetime
    declared: str | None
    tz: timezone
    gmt: bool
    body_mode: str  # content (content:encoded/content + teaser), description (full html in description/summary)
    authors: list[str]
    areas: list[str]
    sponsor_rate: float
    ext: str = "xml"
    org: Org | None = None
    vendor: Vendor | None = None
    cat: tuple | None = None
    social_host: str = ""
    handle: str = ""
    titled: bool = True
    aggregator: bool = False
    transcripts: bool = False
    chapters: bool = False
    description: str = ""
    generator: str | None = None
    file: str = ""
    entries: list[Entry] = field(default_factory=list)


def kind_counts(n: int) -> dict[str, int]:
    counts = {k: max(1, round(n * s)) for k, s in KIND_SHARE.items()}
    diff = n - sum(counts.values())
    counts["researcher"] += diff
    if counts["researcher"] < 1:
        raise SystemExit(f"--sources {n} is too few: use at least {len(KIND_SHARE) + 1}")
    return counts


def build_sources(world: World, n: int, seed: int, anchor: datetime, declared_fraction: float) -> list[Src]:
    rng = random.Random(f"{seed}:sources")
    counts = kind_counts(n)
    srcs: list[Src] = []
    names_used: set[str] = set()
    orgs = sorted(world.orgs, key=lambda o: -o.tier)
    vendors = world.vendors[:]
    rng.shuffle(vendors)
    newsletters = NEWSLETTER_NAMES[:]
    rng.shuffle(newsletters)
    podcasts = PODCAST_NAMES[:]
    rng.shuffle(podcasts)
    blogs = BLOG_NAMES[:]
    rng.shuffle(blogs)
    media = [f"{a} {b}" for a in MEDIA_A for b in MEDIA_B]
    rng.shuffle(media)
    people = world.people[:]
    rng.shuffle(people)

    def unique(title: str) -> str:
        t, k = title, 2
        while t in names_used:
            t, k = f"{title} {k}", k + 1
        names_used.add(t)
        return t

    order = [(k, i) for k in KIND_SHARE for i in range(counts[k])]
    for kind, i in order:
        idx = len(srcs) + 1
        tz_h = rng.choice([0, 0, 0, -8, -7, -5, -4, 1, 2, 5.5, 8, 9])
        tz = timezone(timedelta(hours=tz_h))
        age_start = SPAN_DAYS if rng.random() < 0.7 else rng.uniform(60, SPAN_DAYS)
        common: dict[str, Any] = dict(
            idx=idx,
            kind=kind,
            weight=math.exp(rng.gauss(0, 0.8)),
            start=anchor - timedelta(days=age_start),
            tz=tz,
            gmt=tz_h == 0 and rng.random() < 0.5,
            body_mode=rng.choice(["content", "content", "description"]),
            areas=rng.sample(AREA_LIST, 3),
            generator=rng.choice([*GENERATORS, None]),
            authors=[people.pop() for _ in range(rng.randint(1, 4))] if len(people) > 8 else [world.person(rng)],
        )
        fmt = "atom" if rng.random() < {"lab": 0.5, "researcher": 0.5, "social": 0.3}.get(kind, 0.15) else "rss"
        if kind == "lab":
            org = orgs[i % len(orgs)]
            title = unique(rng.choice([f"{org.name} Blog", f"{org.name} Research", f"News from {org.name}"]))
            s = Src(title=title, slug=slugify(org.name), domain=org.domain, fmt=fmt, declared="lab",
                    sponsor_rate=0.0, org=org, **common)  # fmt: skip
            s.areas = rng.sample(AREA_LIST[:10], 3)
            s.description = f"Research, releases and updates from {org.name}."
        elif kind == "vendor":
            v = vendors[i % len(vendors)]
            title = unique(rng.choice([f"The {v.name} Blog", f"{v.name} Engineering", f"{v.name} News"]))
            s = Src(title=title, slug=slugify(v.name), domain=v.domain, fmt=fmt, declared="vendor",
                    sponsor_rate=0.08, vendor=v, **common)  # fmt: skip
            s.areas = [_vendor_area(v), *rng.sample(AREA_LIST, 2)]
            s.description = f"Product news, tutorials and customer stories from {v.name}."
        elif kind == "newsletter":
            agg = i < max(1, round(counts[kind] * 0.15))
            if agg:
                name = AGGREGATOR_NAMES[i % len(AGGREGATOR_NAMES)]
            else:
                name = newsletters.pop() if newsletters else f"AI Letter {i}"
            title = unique(name)
            s = Src(title=title, slug=slugify(title), domain=f"{slugify(title)}.example", fmt=fmt,
                    declared="aggregator", sponsor_rate=0.0 if agg else 0.35, aggregator=agg, **common)  # fmt: skip
            s.description = (
                "Posts from around the AI web, reposted in one place."
                if agg
                else f"A newsletter about {', '.join(s.areas[:2])} and whatever else mattered this week."
            )
        elif kind == "researcher":
            person = common["authors"][0]
            common["authors"] = [person]
            name = (
                blogs.pop()
                if blogs and rng.random() < 0.5
                else rng.choice([person, f"{person}'s blog", f"{person} — notes"])
            )
            title = unique(name)
            s = Src(title=title, slug=slugify(title), domain=f"{slugify(person)}.example", fmt=fmt,
                    declared="researcher", sponsor_rate=0.04, **common)  # fmt: skip
            s.description = f"Notes on {s.areas[0]}, {s.areas[1]} and research in general, by {person}."
        elif kind == "arxiv":
            cat = ARXIV_CATS[i % len(ARXIV_CATS)]
            title = unique(f"{cat[0]} updates on arXiv.org")
            s = Src(title=title, slug=f"arxiv-{cat[0].replace('.', '-').lower()}", domain="rss.arxiv.org", fmt="rss",
                    declared=None, sponsor_rate=0.0, cat=cat, **common)  # fmt: skip
            s.areas, s.body_mode, s.gmt, s.tz, s.start = (
                cat[2],
                "description",
                True,
                UTC,
                anchor - timedelta(days=SPAN_DAYS),
            )
            s.weight = 3.0 if cat[0] in ("cs.CL", "cs.LG", "cs.CV", "cs.AI") else 0.6
            s.generator = None
            s.description = f"{cat[1]} ({cat[0]}) updates on the arXiv.org e-print archive."
        elif kind == "podcast":
            name = podcasts.pop() if podcasts else f"AI Podcast {i}"
            title = unique(name)
            s = Src(title=title, slug=slugify(title), domain=f"{slugify(title)}.example", fmt="rss",
                    declared="podcast", sponsor_rate=0.6, **common)  # fmt: skip
            s.authors = s.authors[:2]
            s.transcripts, s.chapters = rng.random() < 0.35, rng.random() < 0.25
            s.description = f"Conversations about {s.areas[0]}, {s.areas[1]} and the people building AI."
        elif kind == "social":
            person = common["authors"][0]
            common["authors"] = [person]
            handle = slugify(person).replace("-", "") + str(rng.randint(1, 99) if rng.random() < 0.4 else "")
            host = rng.choice(["mastodon.social", "mastodon.social", "bsky.app", "x.com"])
            if host == "mastodon.social":
                title = f"{person} (@{handle}@mastodon.social)"
            elif host == "bsky.app":
                title = f"@{handle}.bsky.social - {person}"
            else:
                title = f"{person} (@{handle}) on X"
            s = Src(title=unique(title), slug=f"{handle}-{host.split('.')[0]}", domain=host, fmt=fmt,
                    declared="social", sponsor_rate=0.03, social_host=host, handle=handle, **common)  # fmt: skip
            s.titled = host == "x.com" or rng.random() < 0.3
            s.body_mode = "description"
            s.generator = None
            s.description = f"Public posts from {person}"
        else:  # media
            title = unique(media.pop() if media else f"AI News {i}")
            s = Src(title=title, slug=slugify(title), domain=f"{slugify(title)}.example", fmt=fmt,
                    declared="media", sponsor_rate=0.06, **common)  # fmt: skip
            s.description = f"{title}: news and analysis on artificial intelligence."
        if s.declared and rng.random() >= declared_fraction:
            s.declared = None
        s.ext = "atom" if s.fmt == "atom" and rng.random() < 0.5 else "xml"
        s.file = f"{idx:03d}-{s.slug}.{s.ext}"
        srcs.append(s)
    for kind in KIND_SHARE:  # a kind's sources share its volume
        total = sum(s.weight for s in srcs if s.kind == kind)
        for s in srcs:
            if s.kind == kind:
                s.weight = KIND_VOLUME[kind] * s.weight / total
    return srcs


def _vendor_area(v: Vendor) -> str:
    return {
        "cloud": "hardware", "inference": "inference", "platform": "products", "database": "products",
        "data": "pretraining", "observability": "evaluation", "agents": "agents", "training": "post-training",
        "search": "products", "evaluation": "evaluation", "hardware": "hardware", "safety": "safety",
        "speech": "speech", "multimodal": "multimodal", "products": "products", "robotics": "robotics",
    }.get(v.category, "products")  # fmt: skip


# --------------------------------------------------------------------------- stories

STORY_TYPES = [
    ("model", 0.30), ("paper", 0.24), ("tool", 0.10), ("product", 0.09), ("dataset", 0.06), ("funding", 0.06),
    ("policy", 0.05), ("hardware", 0.04), ("benchmark", 0.03), ("safety", 0.03),
]  # fmt: skip
# Which kinds of sources follow up on which kinds of story (beyond the primary item).
COVER_KINDS = {
    "model": {"social": 30, "media": 20, "newsletter": 16, "researcher": 14, "vendor": 10, "podcast": 7},
    "paper": {"social": 30, "researcher": 28, "newsletter": 20, "media": 6, "podcast": 10},
    "tool": {"social": 30, "researcher": 18, "newsletter": 18, "vendor": 20, "media": 6, "podcast": 4},
    "product": {"media": 32, "social": 30, "newsletter": 18, "researcher": 6, "podcast": 8, "vendor": 4},
    "dataset": {"social": 28, "researcher": 26, "newsletter": 24, "media": 10, "podcast": 6},
    "funding": {"media": 45, "social": 25, "newsletter": 20, "podcast": 10},
    "policy": {"media": 40, "newsletter": 22, "social": 18, "researcher": 10, "podcast": 10},
    "hardware": {"media": 34, "social": 22, "newsletter": 16, "vendor": 16, "podcast": 6, "researcher": 6},
    "benchmark": {"social": 30, "researcher": 26, "newsletter": 22, "media": 10, "podcast": 6, "vendor": 6},
    "safety": {"media": 26, "social": 24, "researcher": 22, "newsletter": 18, "podcast": 10},
}
DELAY_MEAN_H = {"social": 10, "media": 20, "newsletter": 70, "vendor": 60, "researcher": 150, "podcast": 200}
LINK_PROB = {
    "primary": 1.0, "media": 0.5, "social": 0.55, "newsletter": 0.75, "researcher": 0.6, "podcast": 0.45,
    "vendor": 0.8, "lab": 0.7, "arxiv": 1.0,
}  # fmt: skip


@dataclass(slots=True)
class Story:
    id: int
    type: str
    t0: datetime
    area: str
    org: Org | None
    size: int  # planned number of covering items (before copies)
    name: str = ""  # canonical name: "Orion-3 70B", "SparseRoute", "Flint 0.9"
    aliases: list[str] = field(default_factory=list)  # how prose names it
    what: str = ""  # noun phrase: "an open-weight 70B model with a 128K context window"
    verb: str = "releases"
    hooks: list[str] = field(default_factory=list)  # short title hooks
    primary_titles: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # html sentences
    claims: list[tuple[str, float, str]] = field(default_factory=list)  # (bench, value, unit)
    baseline: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    licence: str | None = None
    snippet: str | None = None
    abstract: str | None = None  # papers
    authors: list[str] = field(default_factory=list)
    primary_kind: str | None = None  # lab, vendor, arxiv, media
    primary_src: Src | None = None
    vendor: Vendor | None = None
    family: Family | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def coverage_size(rng: random.Random, stype: str) -> int:
    k = rng.choices(range(1, 16), weights=[1 / (k**1.15) for k in range(1, 16)])[0]
    if stype in ("paper", "dataset", "benchmark"):
        k = max(1, round(k * 0.75))
    return k


def build_stories(world: World, n: int, seed: int, anchor: datetime) -> list[Story]:
    rng = random.Random(f"{seed}:stories")
    types, weights = zip(*STORY_TYPES, strict=True)
    plan = []
    for _ in range(n):
        stype = rng.choices(types, weights=weights)[0]
        age = SPAN_DAYS * rng.random() ** RECENCY
        t0 = anchor - timedelta(days=age, seconds=rng.randint(3600, 40000))
        plan.append((t0, stype, rng.random()))
    plan.sort(key=lambda p: p[0])  # names (versions) are handed out in time order
    used_names = world.used
    stories = []
    for i, (t0, stype, _) in enumerate(plan):
        srng = random.Random(f"{seed}:story:{i}")
        st = Story(i + 1, stype, t0, "", None, coverage_size(srng, stype))
        BUILDERS[stype](st, world, srng, used_names)
        stories.append(st)
        if stype == "model":
            world.release_dates.append(t0)
            world.release_names.append(st.name)
            world.releases[st.name] = st
    return stories


def pick_org(world: World, rng: random.Random) -> Org:
    return rng.choices(world.orgs, weights=[o.tier for o in world.orgs])[0]


def method_name(rng: random.Random, used: set[str]) -> str:
    for _ in range(50):
        r = rng.random()
        if r < 0.6:
            name = rng.choice(METHOD_A) + rng.choice(METHOD_B)
        elif r < 0.85:
            cons, vow = "BCDFGHKLMNPRSTVZ", "AEIOU"
            name = "".join(rng.choice(cons) + rng.choice(vow) for _ in range(2)) + rng.choice(cons)
        else:
            name = rng.choice(METHOD_A) + "-" + rng.choice(["R1", "X", "Zero", "Pro", "2", "Lite", "Mini"])
        if name not in used:
            used.add(name)
            return name
    name = rng.choice(METHOD_A) + rng.choice(METHOD_B) + str(rng.randint(2, 99))
    used.add(name)
    return name


def arxiv_id(rng: random.Random, when: datetime, used: set[str]) -> str:
    while True:
        aid = f"{when:%y%m}.{rng.randint(1, 21999):05d}"
        if aid not in used:
            used.add(aid)
            return aid


def paper_title(rng: random.Random, area: str, method: str | None) -> tuple[str, str]:
    """A paper title and the topic phrase it is about."""
    task = rng.choice(PAPER_TASKS[area])
    topic = rng.choice(AREAS[area])
    np = titlecase(topic)
    adj = rng.choice(ADJ)
    if method:
        forms = [
            f"{method}: {adj} {task} via {np}",
            f"{method}: Rethinking {np} for {task}",
            f"{adj} {task} with {method}",
            f"{method}: Towards {adj} {task}",
            f"{method}: {np} Is All You Need for {task}",
            f"{method}: {adj} and {rng.choice(ADJ)} {np}",
        ]
    else:
        forms = [
            f"When Does {np} Help {task}?",
            f"On the Limits of {np} in {task}",
            f"Scaling {np} for {task}",
            f"{adj} {task} via {np}",
            f"An Empirical Study of {np} in {task}",
            f"Revisiting {np}: Lessons from {rng.randint(3, 60)} {rng.choice(['Models', 'Benchmarks', 'Languages'])}",
        ]
    title = rng.choice(forms)
    if not method or rng.random() < 0.2:
        title += rng.choice(PAPER_QUALIFIERS)
    return titlecase(title), topic


PAPER_QUALIFIERS = [
    " in Low-Resource Settings", " for Multilingual Models", " under Distribution Shift", " at Scale",
    " with Limited Supervision", " Across Model Scales", " in Small Language Models", " from First Principles",
    " without Human Labels", " for Long Contexts", " in the Wild", " at Test Time",
]  # fmt: skip


def paper_authors(world: World, rng: random.Random) -> list[str]:
    return rng.sample(world.people, rng.choice([1, 2, 3, 3, 4, 5, 6, 8]))


def abstract(rng: random.Random, area: str, method: str | None, code: str | None, topic: str | None = None) -> str:
    a, b = rng.sample(AREAS[area], 2)
    if topic and topic != b:
        a = topic
    intro, subj = (method, method) if method else ("a new method", "our method")
    task = rng.choice(PAPER_TASKS[area]).lower()
    benches = rng.sample(BENCH_NAMES[:14], 3)
    gain = rng.choice(["3.1", "4.7", "6.2", "8.9", "11.4", "2.3"])
    effect = rng.choice(
        [
            "halving memory use",
            "reducing latency by 30%",
            "using 4x less compute",
            "remaining robust to prompt variations",
        ]
    )
    parts = [
        rng.choice(
            [
                f"{cap(a)} has become central to {task}, yet the role of {b} remains poorly understood.",
                f"Recent progress in {task} relies heavily on {a}.",
                f"Large language models increasingly depend on {a}, but existing approaches to {b} scale poorly.",
                f"Despite rapid progress in {task}, handling {a} is still a major bottleneck.",
            ]
        ),
        rng.choice(
            [
                f"In this paper, we propose {intro}, a simple approach that couples {a} with {b}.",
                f"We introduce {intro}, {article(rng.choice(ADJ).lower())} approach to {task} based on {a}.",
                f"We present {intro}, which replaces hand-tuned {b} with a learned objective.",
                f"In this work we study {a} systematically and propose {intro}.",
            ]
        ),
        rng.choice(
            [
                f"{cap(subj)} requires no additional training data and adds negligible overhead at inference time.",
                f"Our analysis shows that differences in {b} explain most of the variance across model scales.",
                f"We train models from 125M to {rng.choice(['7B', '13B', '34B'])} parameters "
                f"to isolate the effect of {a}.",
                "Ablations show that both components are necessary.",
            ]
        ),
        f"Experiments on {benches[0]}, {benches[1]} and {benches[2]} show that {subj} improves over strong "
        f"baselines by {gain} points on average while {effect}.",
    ]
    more = [
        f"The key idea is to decouple {a} from {b} during training, so that capacity goes where it is needed.",
        f"To support this study, we construct a new dataset of {rng.randint(5, 400)}k examples covering {task}.",
        f"We further analyse how {a} interacts with model scale and find that the gains grow with {b}.",
        f"We also discuss limitations, including sensitivity to {b} and the added cost of {a} at inference time.",
        f"Unlike prior work, our approach makes no assumptions about {b} and applies to both dense and "
        "mixture-of-experts models.",
        f"Human evaluation with {rng.randint(3, 40)} annotators confirms the automatic results.",
        f"Our results suggest that {a} deserves more attention than it receives in current {task} pipelines.",
    ]
    for i, sentence in enumerate(rng.sample(more, rng.randint(2, 4))):
        parts.insert(2 + i if i < 2 else len(parts), sentence)
    if code:
        parts.append(f"Code is available at {code}.")
    elif rng.random() < 0.3:
        parts.append("Code will be released upon acceptance.")
    return " ".join(parts)


TAGLINES = [
    "our most capable open model yet", "faster, smaller, better at code",
    "frontier reasoning at a fraction of the cost",
    "a new family of open models", "built for agents",
]  # fmt: skip


def build_model(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    org = pick_org(world, rng)
    fam = rng.choice(org.families)
    st.org, st.family = org, fam
    st.area = rng.choice(["pretraining", "post-training", "open-source", "multimodal", "inference", "agents"])
    # the family's next release: a minor bump, a new variant of the current version, or (rarely) a major bump
    variant = None
    r = rng.random()
    if not fam.used:
        pass
    elif r < 0.45:
        fam.minor += rng.choice([1, 5]) if fam.minor == 0 else 1
        if fam.minor >= 10:
            fam.major, fam.minor = fam.major + 1, 0
    elif r < 0.6:
        fam.major, fam.minor = fam.major + 1, 0
    else:
        variant = rng.choice(["Mini", "Vision", "Coder", "Flash", "Reasoning", "Audio", "Long"])
    ver = f"{fam.major}" if fam.minor == 0 else f"{fam.major}.{fam.minor}"
    while (ver, variant) in fam.used:
        variant = rng.choice(["Mini", "Vision", "Coder", "Flash", "Reasoning", "Audio", "Long", "Pro", "Nano"])
    fam.used.add((ver, variant))
    sep = {"hyphen": "-", "space": " ", "glued": ""}[fam.style]
    base = f"{fam.name}{sep}{ver}" + (f" {variant}" if variant else "")
    moe = rng.random() < 0.18
    if moe:
        total, active = rng.choice([(47, 13), (236, 21), (141, 39), (480, 35), (30, 3), (106, 12)])
        sizes = [total]
        size_label = f"{total}B-A{active}B"
    else:
        pool = [0.5, 1, 1.5, 2, 3, 4, 7, 8, 9, 12, 14, 22, 27, 32, 34, 70, 72, 104, 123, 405]
        if variant in ("Mini", "Flash", "Nano"):
            pool = pool[:9]
        sizes = sorted(rng.sample(pool, rng.choice([1, 1, 2, 3])))
        size_label = fmt_size(sizes[-1])
    main = sizes[-1]
    is_open = rng.random() < org.open_rate
    st.name = f"{base} {size_label}" if len(sizes) == 1 else base
    st.aliases = [st.name, base, f"{org.name}'s {base}", f"the new {fam.name} model", f"{fam.name}"]
    hf_name = f"{base.replace(' ', '-')}-{size_label}" + ("" if variant else "-Instruct")
    st.extra.update(base=base, sizes=sizes, size_label=size_label, variant=variant, hf_name=hf_name)
    strength = min(1.0, 0.12 + 0.55 * math.log10(max(main, 0.5) * 2) / math.log10(810) + rng.uniform(0, 0.2))
    specs = rng.sample(BENCH_SPECS, rng.randint(3, 6))
    if variant == "Vision" or rng.random() < 0.15:
        specs.append(VISION_BENCH)
    st.claims = [(s[0], bench_value(rng, s, strength), "%") for s in specs]
    if rng.random() < 0.3:
        st.claims.append(("MT-Bench", round(6.0 + 3.3 * strength + rng.gauss(0, 0.15), 2), "/10"))
    st.baseline = rng.choice([b for b, sz in BASELINES if sz is None or sz >= main] or [BASELINES[0][0]])
    ctx_len = rng.choice(["8K", "32K", "32K", "128K", "128K", "256K", "1M"])
    tokens = rng.choice([2, 3, 4.5, 6, 8, 9, 12, 15, 18, 22, 36])
    what = ("an open-weight " if is_open else "a new ") + (
        f"{size_label} mixture-of-experts model" if moe else f"{fmt_size(main)} model"
    )
    st.what = f"{what} with a {ctx_len} context window"
    st.verb = rng.choice(["releases", "unveils", "launches", "ships", "open-sources" if is_open else "announces"])
    c0 = st.claims[0]
    st.hooks = [
        f"scores {c0[1]:g} on {c0[0]}",
        f"beats {st.baseline} on {st.claims[1][0]}",
        f"brings a {ctx_len} context window",
        "ships with open weights" if is_open else "is API-only",
    ]
    st.primary_titles = [
        f"Introducing {base}",
        f"{base}: {rng.choice(TAGLINES)}",
        f"Announcing {st.name}",
        f"{base} is here",
    ]
    facts = []
    if moe:
        facts.append(
            f"{base} is a mixture-of-experts model with {total}B total and {active}B active parameters per token."
        )
    elif len(sizes) > 1:
        facts.append(
            f"{base} comes in {', '.join(fmt_size(s) for s in sizes[:-1])} and {fmt_size(sizes[-1])} sizes, "
            "each with a base and an instruct variant."
        )
    else:
        facts.append(f"{st.name} is a dense decoder-only transformer with {fmt_size(main)} parameters.")
    facts.append(f"It was pretrained on {tokens:g}T tokens and supports a {ctx_len} context window.")
    facts.append(f"The instruct variants were post-trained with {rng.choice(PT_METHODS)}.")
    if rng.random() < 0.45:
        gpu = rng.choice(GPUS[:6])
        if rng.random() < 0.5:
            facts.append(
                f"Training used {fmt_int(rng.choice([512, 1024, 2048, 4096, 8192]))} {gpu}s "
                f"for about {rng.randint(12, 90)} days."
            )
        else:
            facts.append(f"The full run took roughly {rng.choice([0.4, 1.2, 2.8, 3.6, 6.1])}M {gpu} GPU hours.")
    links: dict[str, str] = {}
    if is_open:
        st.licence = rng.choice([*LICENCES_OPEN, f"{org.name} Community License"])
        links["hf"] = f"https://huggingface.co/{org.slug}/{hf_name}"
        facts.append(f"The weights are released under {st.licence} on Hugging Face.")
        if rng.random() < 0.4:
            links["github"] = f"https://github.com/{org.slug}/{slugify(fam.name)}"
        repo = f"{org.slug}/{hf_name}"
        r = rng.random()
        if r < 0.4:
            st.snippet = (
                "pip install -U transformers accelerate\n\n"
                "from transformers import AutoModelForCausalLM, AutoTokenizer\n"
                f'tok = AutoTokenizer.from_pretrained("{repo}")\n'
                f'model = AutoModelForCausalLM.from_pretrained("{repo}", device_map="auto")\n'
                'inputs = tok("Explain KV caching in one paragraph.", return_tensors="pt").to(model.device)\n'
                "print(tok.decode(model.generate(**inputs, max_new_tokens=200)[0]))"
            )
        elif r < 0.7:
            st.snippet = f"pip install -U vllm\nvllm serve {repo} --max-model-len {rng.choice([8192, 32768, 65536])}"
        elif r < 0.85:
            st.snippet = f"ollama run {slugify(fam.name)}{ver.replace('.', '')}:{size_label.lower()}"
    else:
        st.licence = None
        facts.append(
            rng.choice(
                [
                    f"{base} is available only through the {org.name} API; the weights are not being released.",
                    f"Access is through the {org.name} API at "
                    f"${rng.choice([0.15, 0.4, 1.0, 2.5, 3.0, 5.0])} per million input tokens.",
                    f"{base} is rolling out to paying users first, with a waitlist for API access.",
                ]
            )
        )
        if rng.random() < 0.5:
            links["demo"] = f"https://chat.{org.domain}/"
    if rng.random() < 0.5:
        links["arxiv"] = f"https://arxiv.org/abs/{arxiv_id(rng, st.t0, used)}"
        facts.append(
            rng.choice(
                [
                    "A technical report describes the data mixture and training recipe.",
                    "The accompanying technical report includes ablations on the data mix.",
                ]
            )
        )
    links["blog"] = f"https://{org.domain}/blog/{slugify(base)}"
    st.links = links
    st.facts = facts
    st.primary_kind = "lab"


def build_paper(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    st.area = rng.choices(AREA_LIST, weights=AREA_WEIGHTS)[0]
    if st.area in ("business", "products", "policy") and rng.random() < 0.6:
        st.area = "evaluation"
    org = pick_org(world, rng) if rng.random() < 0.45 else rng.choice(world.unis)
    st.org = org
    method = method_name(rng, used)
    title, topic = paper_title(rng, st.area, method)
    aid = arxiv_id(rng, st.t0, used)
    st.name = method
    st.aliases = [method, f"the {method} paper", f"{method} ({org.name})"]
    st.authors = paper_authors(world, rng)
    first = st.authors[0].split()[-1]
    st.aliases.append(f"{first} et al.'s {method}")
    links = {"arxiv": f"https://arxiv.org/abs/{aid}"}
    if rng.random() < 0.5:
        links["github"] = f"https://github.com/{org.slug}/{slugify(method)}"
    st.links = links
    st.abstract = abstract(rng, st.area, method, links.get("github"), topic)
    st.extra.update(title=title, arxiv=aid)
    st.what = f"a paper on {topic}"
    st.verb = "publishes"
    st.hooks = [
        rng.choice(
            [
                "a simple trick that works",
                "strong ablations",
                "a surprising negative result",
                "big gains on reasoning",
                "cheaper inference",
            ]
        )
    ]
    st.primary_titles = [title]
    st.facts = [
        f"The paper, by {', '.join(st.authors[:3])}{' et al.' if len(st.authors) > 3 else ''} ({org.name}), "
        f"is titled <em>{escape(title)}</em>.",
        st.abstract.split(". ")[1].rstrip(".") + ".",
    ]
    st.primary_kind = "arxiv"


def build_tool(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    name, desc, pkg = rng.choice(TOOLS)
    key = f"tool:{name}"
    count = sum(1 for u in used if u.startswith(key + ":"))
    ver = f"{rng.choice([0, 0, 1, 2])}.{count + rng.randint(1, 3)}{'' if rng.random() < 0.6 else '.0'}"
    while f"{key}:{ver}" in used:
        ver = ver + ".1"
    used.add(f"{key}:{ver}")
    vendor = rng.choice(world.vendors)
    org_slug = vendor.slug if rng.random() < 0.6 else rng.choice(world.orgs).slug
    st.vendor = vendor
    st.area = rng.choice(["inference", "agents", "evaluation", "post-training", "open-source"])
    feature = rng.choice(AREAS[st.area])
    st.name = f"{name} {ver}"
    st.aliases = [st.name, name, f"the {name} {desc}", f"{name} v{ver}"]
    st.what = f"a new release of the {desc} with support for {feature}"
    st.verb = "releases"
    x = rng.choice([1.4, 1.8, 2, 2.5, 3, 4])
    st.hooks = [f"{x:g}x faster", f"adds {feature}", "now on PyPI"]
    st.primary_titles = [
        f"{name} {ver} released",
        f"What's new in {name} {ver}",
        f"{name} {ver}: {feature} and {x:g}x throughput",
    ]
    st.links = {"github": f"https://github.com/{org_slug}/{slugify(name)}", "pypi": f"https://pypi.org/project/{pkg}/"}
    if rng.random() < 0.3:
        st.links["github_release"] = f"https://github.com/{org_slug}/{slugify(name)}/releases/tag/v{ver}"
    st.snippet = f"pip install -U {pkg}=={ver}" + (f"\n{pkg.split('-')[0]} --help" if rng.random() < 0.5 else "")
    st.licence = rng.choice(["Apache 2.0", "MIT", "BSD-3-Clause"])
    st.facts = [
        f"{name} is an open-source {desc}, released under the {st.licence} licence.",
        f"Version {ver} adds {feature} and reports {x:g}x higher throughput on {rng.choice(GPUS)} "
        "in the maintainers' benchmarks.",
        f"The release notes list {rng.randint(12, 140)} merged pull requests from {rng.randint(5, 60)} contributors.",
    ]
    st.primary_kind = "vendor"


FILTERS = [
    "a quality classifier",
    "heuristic filters and a toxicity model",
    "MinHash deduplication",
    "model-based scoring",
]


def build_dataset(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    org = pick_org(world, rng) if rng.random() < 0.7 else rng.choice(world.unis)
    st.org = org
    st.area = rng.choice(["pretraining", "post-training", "multimodal", "speech", "robotics", "evaluation"])
    base = method_name(rng, used)
    scale = rng.choice(
        [
            "15T tokens",
            "2.4T tokens",
            "600B tokens",
            "1.2M conversations",
            "40M image-text pairs",
            "80k hours of speech",
            "1M robot episodes",
            "350k verified maths problems",
        ]
    )
    st.name = f"{base}-{scale.split()[0].replace('.', '')}"
    st.aliases = [st.name, base, f"the {base} dataset"]
    st.licence = rng.choice(DATA_LICENCES)
    desc = {
        "pretraining": "filtered web text", "post-training": "instruction and preference data",
        "multimodal": "interleaved image-text documents", "speech": "transcribed multilingual speech",
        "robotics": "teleoperated manipulation data", "evaluation": "held-out evaluation questions",
    }[st.area]  # fmt: skip
    st.what = f"an open dataset of {scale} of {desc}"
    st.verb = "releases"
    st.hooks = [f"{scale}", f"{st.licence} licence", "fully open"]
    st.primary_titles = [f"Releasing {st.name}", f"{st.name}: {scale} of {desc}", f"Introducing the {base} dataset"]
    st.links = {"dataset": f"https://huggingface.co/datasets/{org.slug}/{st.name}"}
    if org.is_uni or rng.random() < 0.5:  # a university's dataset comes with a paper
        st.links["arxiv"] = f"https://arxiv.org/abs/{arxiv_id(rng, st.t0, used)}"
    if rng.random() < 0.5:
        st.links["github"] = f"https://github.com/{org.slug}/{slugify(base)}-pipeline"
    st.facts = [
        f"{st.name} contains {scale} of {desc}, deduplicated and filtered with {rng.choice(FILTERS)}.",
        f"It is released under {st.licence}, together with the processing code.",
        f"Models trained on it match or beat {rng.choice(['FineWeb-Edu', 'the previous best open mix'])} "
        f"on {rng.choice(BENCH_NAMES[:8])} at equal compute, according to the authors.",
    ]
    st.snippet = (
        f'from datasets import load_dataset\nds = load_dataset("{org.slug}/{st.name}", split="train", streaming=True)'
    )
    st.primary_kind = "lab" if not org.is_uni else "arxiv"


def build_product(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    org = pick_org(world, rng)
    st.org = org
    st.area = rng.choice(["products", "agents", "speech", "multimodal", "products"])
    fam = rng.choice(org.families)
    feature = rng.choice(
        [
            "Voice",
            "Agents",
            "Canvas",
            "Projects",
            "Memory",
            "Deep Research",
            "Computer Use",
            "Realtime API",
            "Batch API",
            "Code Review",
            "Enterprise Search",
            "Workflows",
        ]
    )
    name = f"{fam.name} {feature}"
    while name in used:
        name += " 2"
    used.add(name)
    st.name = name
    st.aliases = [name, f"{org.name}'s new {feature.lower()} feature", f"{org.name} {feature}"]
    st.what = f"a {feature.lower()} product built on its {fam.name} models"
    st.verb = rng.choice(["launches", "rolls out", "unveils", "debuts"])
    price = rng.choice(
        [
            "free for all users",
            "$20 a month",
            "included in Pro and Team plans",
            "$0.60 per hour of audio",
            "usage-based pricing",
        ]
    )
    waitlist = rng.random() < 0.35
    st.hooks = [
        price,
        "waitlist only" if waitlist else "available today",
        f"for {rng.choice(['developers', 'enterprises', 'everyone'])}",
    ]
    st.primary_titles = [f"Introducing {name}", f"{name} is now available", f"Meet {name}"]
    st.links = {
        "blog": f"https://{org.domain}/news/{slugify(name)}",
        "docs": f"https://docs.{org.domain}/{slugify(feature)}",
    }
    st.facts = [
        f"{name} is {price}{', with a waitlist for API access' if waitlist else ' and available today'}.",
        f"{org.name} says it is built on {fam.name} and focuses on {rng.choice(AREAS[st.area])}.",
        rng.choice(
            [
                "It is rolling out in the US first, with other regions to follow.",
                "Enterprise customers get admin controls and data retention settings.",
                "The API version supports streaming and function calling.",
            ]
        ),
    ]
    st.primary_kind = "lab"


def build_funding(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    if rng.random() < 0.6:
        org = pick_org(world, rng)
        who, domain = org.name, org.domain
        st.org = org
    else:
        v = rng.choice(world.vendors)
        who, domain = v.name, v.domain
        st.vendor = v
    kind = rng.choice(["raise", "raise", "raise", "acquisition", "partnership"])
    st.area = "business"
    if kind == "raise":
        amt = rng.choice([12, 30, 45, 80, 120, 250, 450, 600, 1000, 2000])
        series = rng.choice(["Seed", "Series A", "Series B", "Series C", "Series D"])
        val = round(amt * rng.uniform(6, 25) / 1000, 1)
        lead = rng.choice(INVESTORS)
        amount = f"${amt}M" if amt < 1000 else f"${amt / 1000:g}B"
        st.name = f"{who} {series}"
        st.extra["headline"] = f"{who} raises {amount} in {series} funding led by {lead}"
        st.aliases = [st.name, f"{who}'s {amount} round", f"{who}'s new funding"]
        st.what = f"{amount} in {series} funding led by {lead}"
        st.verb = "raises"
        st.hooks = [f"raises {amount}", f"valued at ${val:g}B", f"led by {lead}"]
        st.primary_titles = [
            f"Announcing our {amount} {series}",
            f"{who} raises {amount} to scale {rng.choice(AREAS['products'])}",
        ]
        st.facts = [
            f"{who} raised {amount} in a {series} round led by {lead}, valuing the company at ${val:g}B.",
            f"The company says it will spend the money on "
            f"{rng.choice(['compute', 'hiring researchers', 'international expansion', 'its inference platform'])}.",
            f"{who} employs about {rng.randint(20, 900)} people.",
        ]
    elif kind == "acquisition":
        target = rng.choice([v.name for v in world.vendors if v.name != who])
        price = rng.choice(["$90M", "$400M", "$1.2B", "an undisclosed sum"])
        st.name = f"{who} acquires {target}"
        st.extra["headline"] = f"{who} acquires {target} for {price}"
        st.aliases = [st.name, f"the {target} deal", f"{who}'s acquisition of {target}"]
        st.what = f"{target} for {price}"
        st.verb = "acquires"
        st.hooks = [f"for {price}", f"buys {target}", "deal expected to close next quarter"]
        st.primary_titles = [f"{target} is joining {who}", f"{who} to acquire {target}"]
        st.facts = [
            f"{who} is acquiring {target} for {price}.",
            f"The {target} team will work on {rng.choice(AREAS['products'])}.",
            "The deal is subject to regulatory approval.",
        ]
    else:
        partner = rng.choice([v.name for v in world.vendors if v.name != who])
        st.name = f"{who}–{partner} partnership"
        st.extra["headline"] = f"{who} signs a multi-year compute and distribution deal with {partner}"
        st.aliases = [st.name, f"{who}'s deal with {partner}", f"{partner} and {who}"]
        st.what = f"a multi-year compute and distribution deal with {partner}"
        st.verb = "signs"
        st.hooks = [f"multi-year deal with {partner}", f"{rng.choice(['$1B', '$300M', 'gigawatt-scale'])} commitment"]
        st.primary_titles = [f"{who} and {partner} announce strategic partnership", f"Partnering with {partner}"]
        st.facts = [
            f"{who} and {partner} signed a multi-year agreement covering compute and distribution.",
            "Financial terms were not fully disclosed.",
        ]
    st.links = {"blog": f"https://{domain}/news/{slugify(st.name)}"}
    st.primary_kind = "lab" if st.org else "vendor"


POLICY_BODIES = [
    "EU AI Office", "European Commission", "European Parliament", "UK AI Security Institute", "UK government",
    "US Commerce Department", "US Senate Commerce Committee", "FTC", "California legislature",
    "New York State", "Japanese government", "Korean National Assembly", "Singapore IMDA", "OECD",
    "Canadian government", "Brazilian Senate", "Indian IT ministry", "US Copyright Office",
]  # fmt: skip
POLICY_TOPICS = [
    "frontier model transparency", "AI in hiring", "deepfake labelling", "model evaluations", "AI incident reporting",
    "compute reporting", "open-source exemptions", "copyright and training data", "children's safety online",
    "AI in elections", "public-sector AI procurement", "watermarking of AI content", "export of AI accelerators",
    "liability for AI agents", "biometric surveillance", "data centre energy use", "general-purpose AI models",
]  # fmt: skip
# (verb, object); {topic}, {nth}, {num}, {model}, {org}, {year} are filled in
POLICY_ACTIONS = [
    ("publishes", "guidance on {topic}"),
    ("opens", "a consultation on {topic}"),
    ("passes", "bill {num} on {topic}"),
    ("launches", "an inquiry into {topic}"),
    ("holds", "a hearing on {topic}"),
    ("publishes", "the {nth} draft of its code of practice on {topic}"),
    ("adopts", "its {year} rules on {topic}"),
    ("fines", "{org} over {topic}"),
    ("publishes", "a pre-deployment evaluation of {model}"),
    ("rules on", "{topic} in the {org} case"),
]  # fmt: skip


def build_policy(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    who = rng.choice(POLICY_BODIES)
    verb, obj = rng.choice(POLICY_ACTIONS)
    area = "safety" if "{model}" in obj else "policy"
    org = pick_org(world, rng)
    model = world.known_model(rng, st.t0)
    nth = rng.choice(["first", "second", "third", "final"])
    obj = obj.format(
        topic=rng.choice(POLICY_TOPICS), nth=nth, num=f"{rng.choice('ABHS')}{rng.randint(100, 2999)}", model=model,
        org=org.name, year=st.t0.year,
    )  # fmt: skip
    bare = re.sub(r"^(the|a|an|its) ", "", obj)
    name, k = bare, 2
    while name in used:
        name, k = f"{bare} ({rng.choice(['revised', 'amended', 'second round'])} {k})", k + 1
    used.add(name)
    st.area = area
    st.extra["who"] = who
    st.extra["headline"] = f"The {who} {verb} {obj}"
    st.name = name
    st.aliases = [name, f"the {who}'s {bare}", obj, f"the {who} {'ruling' if verb == 'rules on' else 'move'}"]
    st.what = obj
    st.verb = verb
    st.hooks = [
        rng.choice(
            ["what it means for open weights", "what changes for labs", "industry reacts", "the key obligations"]
        )
    ]
    st.primary_titles = [f"{who} {verb} {obj}"]
    st.facts = [
        f"The {who} {verb} {obj}.",
        f"The text covers {', '.join(rng.sample(AREAS['policy'], 2))}.",
        rng.choice(
            [
                "Industry groups asked for a longer transition period.",
                "Civil society groups called it a first step.",
                "It takes effect next year.",
            ]
        ),
    ]
    st.links = {"doc": f"https://{slugify(who)}.example/documents/{slugify(bare)[:40]}.pdf"}
    st.primary_kind = "media"


def build_hardware(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    v = rng.choice([v for v in world.vendors if v.category in ("hardware", "cloud")])
    st.vendor = v
    st.area = "hardware"
    series, gen, suffix = (
        rng.choice(["T", "X", "CX-", "N", "Q"]),
        rng.randint(2, 9),
        rng.choice(["", "00", " Ultra", " Pro"]),
    )
    chip = f"{v.name.split()[0]} {series}{gen}{suffix}"
    while chip in used:
        chip += "e"
    used.add(chip)
    mem = rng.choice([96, 144, 192, 256, 288])
    x = rng.choice([1.5, 2, 2.5, 3, 4])
    st.name = chip
    st.aliases = [chip, f"{v.name}'s new accelerator", f"the {chip.split()[-1]} chip"]
    st.what = f"an inference accelerator with {mem}GB of HBM3e"
    st.verb = rng.choice(["unveils", "announces", "ships"])
    st.hooks = [f"{x:g}x faster than H100", f"{mem}GB HBM3e", "shipping next quarter"]
    st.primary_titles = [f"Introducing the {chip}", f"{chip}: {mem}GB of HBM and {x:g}x inference throughput"]
    st.facts = [
        f"The {chip} has {mem}GB of HBM3e and {rng.choice([4.8, 6, 8, 10])} TB/s of memory bandwidth.",
        f"{v.name} claims {x:g}x the inference throughput of an H100 "
        f"on {rng.choice(['Llama 3.1 70B', 'a 70B dense model', 'MoE models'])}.",
        f"Cloud availability starts {rng.choice(['next quarter', 'in the spring', 'today in two regions'])}.",
    ]
    st.links = {"blog": f"https://{v.domain}/products/{slugify(chip)}"}
    st.primary_kind = "vendor"


def build_benchmark(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    org = pick_org(world, rng) if rng.random() < 0.4 else rng.choice(world.unis)
    st.org = org
    st.area = rng.choice(["evaluation", "agents", "multimodal", "safety"])
    name = method_name(rng, used)
    name = name if name.endswith("Bench") else name + rng.choice(["Bench", "-Eval", "Bench-Hard", "Arena"])
    aid = arxiv_id(rng, st.t0, used)
    best = round(rng.uniform(18, 62), 1)
    st.name = name
    st.aliases = [name, f"the {name} benchmark", f"{name} leaderboard"]
    st.what = f"a benchmark for {rng.choice(AREAS[st.area])}"
    st.verb = "introduces"
    st.hooks = [f"best model scores {best}%", "frontier models struggle", f"{rng.randint(300, 5000)} tasks"]
    how = rng.choice(["A Benchmark for", "Evaluating", "Measuring"])
    where = rng.choice(["in the Wild", "at Scale", "Beyond Saturation", ""])
    title = f"{name}: {how} {rng.choice(PAPER_TASKS[st.area])} {where}".strip()
    st.primary_titles = [title]
    st.authors = paper_authors(world, rng)
    st.links = {
        "arxiv": f"https://arxiv.org/abs/{aid}",
        "github": f"https://github.com/{org.slug}/{slugify(name)}",
        "dataset": f"https://huggingface.co/datasets/{org.slug}/{name}",
    }
    st.abstract = (
        f"Existing benchmarks for {rng.choice(PAPER_TASKS[st.area]).lower()} are saturated or contaminated. "
        f"We introduce {name}, a benchmark of {rng.randint(300, 5000)} tasks with held-out test data. "
        f"The best model we evaluate, {world.known_model(rng, st.t0)}, scores {best}%, far below human experts. "
        f"Data and evaluation code are available at {st.links['github']}."
    )
    st.extra.update(title=title, arxiv=aid, best=best)
    st.facts = [
        f"{name} has {rng.randint(300, 5000)} tasks, with a private held-out split to limit contamination.",
        f"The best model evaluated scores {best}%; human experts reach about {rng.randint(70, 95)}%.",
    ]
    st.primary_kind = "arxiv"


def build_safety(st: Story, world: World, rng: random.Random, used: set[str]) -> None:
    org = pick_org(world, rng)
    st.org = org
    st.area = "safety"
    model = world.known_model(rng, st.t0)
    kind = rng.choice(["card", "jailbreak", "sae", "rsp"])
    if kind == "card":
        name = f"{model} system card"
        st.what = f"a system card for {model}"
        st.verb = "publishes"
        st.facts = [
            f"The system card for {model} reports results of "
            f"{rng.choice(['external red-teaming', 'dangerous-capability evals', 'bio and cyber uplift studies'])}.",
            "Some evaluations were run by third parties before release.",
        ]
    elif kind == "jailbreak":
        name = f"{method_name(rng, used)} jailbreak"
        st.what = "a jailbreak technique that works across major models"
        st.verb = "discloses"
        st.facts = [
            f"The {name} uses "
            f"{rng.choice(['many-shot prompts', 'encoded instructions', 'role-play chains', 'image-embedded text'])} "
            "to bypass refusals.",
            "Several labs say they have deployed mitigations.",
        ]
    elif kind == "sae":
        name = f"{org.name} sparse autoencoders for {model}"
        st.what = f"open sparse autoencoders trained on {model}"
        st.verb = "open-sources"
        st.facts = [
            f"The release includes {rng.choice(['16k', '65k', '1M'])}-feature sparse autoencoders for every layer.",
            "An interactive viewer lets readers browse features.",
        ]
    else:
        n = rng.randint(2, 4)
        name = f"{org.name} responsible scaling policy v{n}.{rng.randint(0, 3)}"
        st.what = f"version {name.rsplit(' v', 1)[1]} of its responsible scaling policy"
        st.verb = "updates"
        st.facts = [
            "The update changes capability thresholds and the safeguards they trigger.",
            "External reviewers will audit compliance annually.",
        ]
    while name in used:
        name += " (update)"
    used.add(name)
    st.name = name
    st.extra["headline"] = f"{org.name} {st.verb} {st.what}"
    st.aliases = [name, st.what]
    st.hooks = [rng.choice(["what the evals show", "labs respond", "why it matters", "the details"])]
    st.primary_titles = [cap(st.what) if kind != "jailbreak" else name, name]
    st.links = {"blog": f"https://{org.domain}/safety/{slugify(name)[:40]}"}
    if rng.random() < 0.5:
        st.links["arxiv"] = f"https://arxiv.org/abs/{arxiv_id(rng, st.t0, used)}"
    if kind == "sae" or rng.random() < 0.2:
        st.links["github"] = f"https://github.com/{org.slug}/{slugify(name)[:30]}"
    st.primary_kind = "lab" if kind != "jailbreak" else "arxiv"
    if kind == "jailbreak":
        st.authors = paper_authors(world, rng)
        st.abstract = (
            f"We present the {name}, which {st.facts[0].split(' uses ')[1].rstrip('.')}. "
            f"It succeeds against {rng.randint(6, 12)} of {rng.randint(12, 14)} models we test. "
            "We disclosed it to affected labs before publication."
        )
        st.extra.update(
            title=f"{name.replace(' jailbreak', '')}: A Transferable Jailbreak Against Aligned Language Models"
        )
        st.links.setdefault("arxiv", f"https://arxiv.org/abs/{arxiv_id(rng, st.t0, used)}")


BUILDERS = {
    "model": build_model, "paper": build_paper, "tool": build_tool, "dataset": build_dataset,
    "product": build_product, "funding": build_funding, "policy": build_policy, "hardware": build_hardware,
    "benchmark": build_benchmark, "safety": build_safety,
}  # fmt: skip


# --------------------------------------------------------------------------- entries


@dataclass(slots=True)
class Entry:
    uid: int
    src: Src
    pub: datetime
    role: str  # primary, techreport, cover, copy, oneoff
    story: Story | None = None
    orig: Entry | None = None
    seq: int = 0
    title: str | None = None
    html: str = ""
    teaser: str | None = None
    link: str = ""
    guid: str = ""
    authors: list[str] = field(default_factory=list)
    cats: list[str] = field(default_factory=list)
    enclosure: tuple[str, str, int] | None = None
    duration: int | None = None
    persons: list[tuple[str, str]] = field(default_factory=list)
    updated: datetime | None = None
    mentions: list[int] = field(default_factory=list)
    about: Story | None = None  # a one-off that turned out to be about a fresh release (counts as coverage)

    @property
    def truth(self) -> Story | None:
        return self.story or self.about


def recency_age(rng: random.Random, span_days: float) -> timedelta:
    return timedelta(days=span_days * rng.random() ** RECENCY, seconds=rng.randint(0, 86399))


def plan_entries(
    stories: list[Story], sources: list[Src], n_items: int, seed: int, anchor: datetime
) -> tuple[list[Entry], dict[str, int]]:
    rng = random.Random(f"{seed}:plan")
    by_kind: dict[str, list[Src]] = {}
    for s in sources:
        by_kind.setdefault(s.kind, []).append(s)
    labs_by_org = {id(s.org): s for s in by_kind.get("lab", [])}
    vendors_by = {id(s.vendor): s for s in by_kind.get("vendor", [])}
    arxiv_by_area: dict[str, list[Src]] = {}
    for s in by_kind.get("arxiv", []):
        for a in s.areas:
            arxiv_by_area.setdefault(a, []).append(s)
    aggregators = [s for s in sources if s.aggregator]
    media = by_kind.get("media", [])
    entries: list[Entry] = []
    uid = 0

    def add(src: Src, pub: datetime, role: str, story: Story | None, orig: Entry | None = None) -> Entry:
        nonlocal uid
        uid += 1
        e = Entry(uid, src, min(pub, anchor - timedelta(minutes=rng.randint(5, 600))), role, story, orig)
        entries.append(e)
        return e

    def pick(kind_weights: dict[str, int], used: set[int], when: datetime) -> Src | None:
        kinds = [k for k in kind_weights if by_kind.get(k)]
        if not kinds:
            return None
        for _ in range(12):
            k = rng.choices(kinds, weights=[kind_weights[x] for x in kinds])[0]
            pool = by_kind[k]
            s = rng.choices(pool, weights=[p.weight for p in pool])[0]
            if s.idx not in used and s.start <= when:
                return s
        return None

    budget = n_items
    for st in stories:
        if budget <= 0:
            break
        used: set[int] = set()
        primary = None
        if st.primary_kind == "lab" and st.org is not None:
            primary = labs_by_org.get(id(st.org))
        elif st.primary_kind == "vendor":
            v = st.vendor or (
                rng.choice([s.vendor for s in by_kind.get("vendor", [])]) if by_kind.get("vendor") else None
            )
            primary = vendors_by.get(id(v)) if v else None
            if primary is None and by_kind.get("vendor") and rng.random() < 0.5:
                primary = rng.choice(by_kind["vendor"])
        elif st.primary_kind == "arxiv":
            pool = arxiv_by_area.get(st.area) or by_kind.get("arxiv", [])
            primary = rng.choice(pool) if pool else None
        elif st.primary_kind == "media" and media:
            primary = rng.choices(media, weights=[m.weight for m in media])[0]
        n = st.size
        if primary is not None and rng.random() < 0.9:
            e = add(primary, st.t0, "primary", st)
            st.primary_src = primary
            used.add(primary.idx)
            n -= 1
            budget -= 1
        if "arxiv" in st.links and st.primary_kind != "arxiv" and n > 1 and rng.random() < 0.5 and budget > 0:
            pool = arxiv_by_area.get(st.area) or by_kind.get("arxiv", [])
            if pool:
                add(rng.choice(pool), st.t0 + timedelta(hours=rng.uniform(0, 120)), "techreport", st)
                n -= 1
                budget -= 1
        cover = COVER_KINDS[st.type]
        story_entries: list[Entry] = []
        for _ in range(n):
            if budget <= 0:
                break
            k_guess = rng.choices(list(cover), weights=list(cover.values()))[0]
            delay = min(MAX_DELAY_H, rng.expovariate(1 / DELAY_MEAN_H[k_guess]))
            when = st.t0 + timedelta(hours=delay + rng.uniform(0.05, 2))
            s = pick({k_guess: 1} if rng.random() < 0.7 else cover, used, when)
            if s is None:
                continue
            used.add(s.idx)
            story_entries.append(add(s, when, "cover", st))
            budget -= 1
        # syndicated near-duplicates: aggregators repost blog posts; wire copy shows up on other news sites
        for e in list(story_entries):
            if budget <= 0:
                break
            if e.src.kind in ("researcher", "newsletter", "vendor") and aggregators and rng.random() < 0.14:
                agg = rng.choice(aggregators)
                if agg.idx not in used:
                    used.add(agg.idx)
                    add(agg, e.pub + timedelta(hours=rng.uniform(0.5, 30)), "copy", st, orig=e)
                    budget -= 1
            elif e.src.kind == "media" and len(media) > 1 and rng.random() < 0.12:
                m = rng.choice(media)
                if m.idx not in used:
                    used.add(m.idx)
                    add(m, e.pub + timedelta(hours=rng.uniform(0.2, 12)), "copy", st, orig=e)
                    budget -= 1
    story_items = len(entries)
    # one-off items: every source gets at least one if there is room, then by weight
    oneoffs = n_items - story_items
    weights = [s.weight for s in sources]
    picks: list[Src] = sources[:] if oneoffs >= len(sources) else []
    picks += rng.choices(sources, weights=weights, k=oneoffs - len(picks))
    for s in picks:
        span = (anchor - s.start).total_seconds() / 86400
        add(s, anchor - recency_age(rng, span), "oneoff", None)
    for s in sources:
        s.entries.clear()
    for e in entries:
        e.src.entries.append(e)
    for s in sources:
        s.entries.sort(key=lambda e: (e.pub, e.uid))
        for i, e in enumerate(s.entries, 1):
            e.seq = i
    stats = {"story_items": story_items, "oneoff_items": oneoffs, "copies": sum(1 for e in entries if e.role == "copy")}
    return entries, stats


# --------------------------------------------------------------------------- writing items


class Body:
    """HTML blocks up to a length budget (MAX_BODY characters of HTML)."""

    def __init__(self, target: int, cap_: int = MAX_BODY) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.target = min(target, cap_)
        self.cap = cap_

    def add(self, html: str, must: bool = False) -> bool:
        """Add a block if it fits under the cap (and, unless ``must``, while under the target)."""
        if self.n + len(html) > self.cap or (not must and self.n >= self.target):
            return False
        self.parts.append(html)
        self.n += len(html) + 1  # and the newline that joins it
        return True

    def html(self) -> str:
        return "\n".join(self.parts)


TARGETS = {  # (low, mode, high) HTML length
    "lab": (1200, 2400, 3000), "vendor": (700, 1500, 2800), "newsletter": (1000, 2200, 3000),
    "researcher": (900, 2000, 3000), "arxiv": (600, 1100, 1900), "podcast": (700, 1600, 2800),
    "social": (120, 260, 560), "media": (800, 1500, 2600),
}  # fmt: skip


def link_variant(rng: random.Random, key: str, url: str) -> str:
    """The same artefact, sometimes spelled another way (as people paste it)."""
    if rng.random() > 0.2:
        return url
    if key == "hf":
        return rng.choice([url.replace("huggingface.co", "hf.co"), url + "/tree/main", url + "?library=transformers"])
    if key == "arxiv":
        return rng.choice([url.replace("/abs/", "/pdf/"), url + "v2", url.replace("https://", "http://")])
    if key == "github":
        return rng.choice([url + ".git", url + "/blob/main/README.md", url + "#readme"])
    return url


LINK_LABELS = {
    "hf": "weights on Hugging Face", "github": "code on GitHub", "arxiv": "technical report", "dataset": "dataset card",
    "demo": "try the demo", "blog": "announcement", "docs": "documentation", "pypi": "PyPI package",
    "github_release": "release notes", "doc": "full text",
}  # fmt: skip


def a(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>'


SOCIAL_LEADS = ["Honestly, ", "Okay, ", "Quick thought: ", "Reminder: ", "TIL: ", "Hmm. ", "Thread: ", "FWIW, "]
PLAIN_STARTS = frozenset("Hot Anyone Spent Slides Unpopular Reading The Tried If New We Every Been Everyone So".split())
SOCIAL_ENDS = [" 🙃", " Thoughts?", " (more soon)", " 👀", " Change my mind.", " /end", " 🧵👇", " Details in replies."]
QUALIFIERS = [
    " for small models", " at scale", " in production", " on a budget", " for low-resource languages",
    " under distribution shift", " in the wild", " beyond English", " for long documents", " on consumer GPUs",
    " for code", " in regulated industries", " for startups", " in healthcare", " for agents", " in education",
]  # fmt: skip
CITIES = ["London", "Paris", "Zurich", "Tokyo", "Singapore", "Toronto", "Bangalore", "Seoul", "Berlin", "Austin"]
STARTUPS = [
    "Tensorleaf", "Quiltworks", "Parsely AI", "Mapletree Labs", "Brightwire", "Kitebox", "Sundial AI", "Lumora",
    "Fernhill", "Copperhead AI", "Nook Labs", "Glimmer", "Stackwise", "Orbitly", "Pebble AI", "Tinsel Labs",
]  # fmt: skip
CUSTOMERS = [
    "Acme Health", "Northstar Bank", "Fabrikam Retail", "Globex Logistics", "Initech", "Umbrella Insurance",
    "Hooli", "Vandelay Industries", "Contoso Energy", "Wayne Shipping", "Stark Legal", "Tyrell Pharma",
    "Soylent Foods", "Cyberdyne Robotics", "Massive Dynamic", "Oscorp Media",
]  # fmt: skip
ROLES = ["research engineers", "research scientists", "a policy lead", "infrastructure engineers", "interns"]
ASIDES = [
    "which tops the leaderboard", "state-of-the-art for its size", "though nobody has reproduced it yet",
    "a number worth checking yourself",
]  # fmt: skip


class Writer:
    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.words = Words(world)
        self.seed = seed
        self._links: dict[int, set[str]] = {}
        self.story_items: dict[int, int] = {}  # items per story so far (planned ones, then attributed one-offs)

    # ---- helpers
    def rng_for(self, e: Entry) -> random.Random:
        return random.Random(self.seed * 1_000_003 + e.uid)

    def ctx(self, e: Entry, rng: random.Random, area: str | None = None) -> Ctx:
        st = e.story
        if st is not None:
            return Ctx(area or st.area, e.pub, model=None, org=story_who(st) or None, story=st)
        return Ctx(area or rng.choice([*e.src.areas, rng.choices(AREA_LIST, weights=AREA_WEIGHTS)[0]]), e.pub)

    def alias(self, st: Story, rng: random.Random) -> str:
        return st.aliases[0] if rng.random() < 0.55 else rng.choice(st.aliases)

    def claims_prose(self, st: Story, rng: random.Random, k: int, exact: bool = True) -> str:
        cl = rng.sample(st.claims, min(k, len(st.claims)))
        bits = []
        for b, v, unit in cl:
            val = f"{v:g}" if exact or rng.random() < 0.5 else f"{round(v):d}"
            if unit == "/10":
                bits.append(f"{val} on {b}")
            else:
                bits.append(rng.choice([f"{val} on {b}", f"{val}% on {b}", f"{b}: {val}"]))
        if not bits:
            return ""
        lead = rng.choice(
            ["It scores ", "Reported results: ", "The headline numbers: ", "According to the model card, it scores "]
        )
        return lead + ", ".join(bits[:-1]) + (" and " if len(bits) > 1 else "") + bits[-1] + "."

    def claims_table(self, st: Story, rng: random.Random) -> str:
        rows = "".join(
            f"<tr><td>{escape(b)}</td><td>{v:g}</td><td>{max(0.0, round(v - rng.uniform(-4, 9), 1)):g}</td></tr>"
            for b, v, _ in st.claims[:6]
        )
        return (
            "<table><thead><tr><th>Benchmark</th>"
            f"<th>{escape(st.name)}</th><th>{escape(st.baseline or 'Previous')}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    def links_block(self, st: Story, rng: random.Random, style: str) -> str:
        keys = [k for k in st.links if k != "blog" or style != "primary"]
        if not keys:
            return ""
        if style != "primary":
            keys = rng.sample(keys, rng.randint(1, len(keys)))
        if rng.random() < 0.5 or len(keys) == 1:
            parts = [a(link_variant(rng, k, st.links[k]), LINK_LABELS.get(k, k)) for k in keys]
            return "<p>" + rng.choice(["Links: ", "Where to find it: ", "Resources: ", ""]) + " · ".join(parts) + "</p>"
        return (
            "<ul>"
            + "".join(f"<li>{a(link_variant(rng, k, st.links[k]), cap(LINK_LABELS.get(k, k)))}</li>" for k in keys)
            + "</ul>"
        )

    def snippet_block(self, code: str) -> str:
        return f"<pre><code>{escape(code, quote=False)}</code></pre>"

    def sponsor_block(self, rng: random.Random, kind: str) -> str:
        name, desc, dom = rng.choice(SPONSORS)
        code = name.upper()[:6] + str(rng.choice([10, 20, 25]))
        if kind == "podcast":
            return (
                f"<p><em>This episode is brought to you by {name}, {desc}. Go to "
                f"{a(f'https://{dom}/podcast', dom + '/podcast')} and use code {code} "
                "for 20% off your first three months.</em></p>"
            )
        if kind == "newsletter":
            return (
                f"<p><strong>Today's sponsor: {name}.</strong> {cap(desc)}. Teams use it to ship faster; "
                f"{a(f'https://{dom}/?ref=newsletter', 'start a free trial')} (promo code {code}).</p>"
            )
        if kind == "social":
            return f"#ad Thanks to {name} for sponsoring: {dom}"
        return f"<p><em>This post is presented in partnership with {name}, {desc}.</em></p>"

    # ---- entry points
    def render(self, e: Entry) -> None:
        rng = self.rng_for(e)
        src = e.src
        e.authors = [rng.choice(src.authors)] if src.authors and src.kind != "arxiv" else []
        if e.role == "copy":
            self.render_copy(e, rng)
        elif e.story is not None:
            self.render_story(e, rng)
        else:
            self.render_oneoff(e, rng)
        if src.kind in ("podcast",):
            self.podcast_extras(e, rng)
        if src.kind not in ("social", "arxiv") and rng.random() < 0.7:
            base = [e.story.area] if e.story else []
            e.cats = list(dict.fromkeys(base + rng.sample(src.areas, rng.randint(0, 2))))
        if src.kind in ("lab", "researcher", "vendor") and rng.random() < 0.15:
            e.updated = e.pub + timedelta(hours=rng.uniform(1, 300))
        self.make_link(e, rng)

    def make_link(self, e: Entry, rng: random.Random) -> None:
        s = e.src
        if s.kind == "arxiv":
            return  # set by render_paper_item
        if s.kind == "social":
            if s.social_host == "mastodon.social":
                pid = 110_000_000_000_000_000 + int(e.pub.timestamp()) * 65536 + e.uid % 65536
                e.link = f"https://mastodon.social/@{s.handle}/{pid}"
            elif s.social_host == "bsky.app":
                rkey = "3l" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz234567", k=11))
                e.link = f"https://bsky.app/profile/{s.handle}.bsky.social/post/{rkey}"
            else:
                sid = 1_700_000_000_000_000_000 + int(e.pub.timestamp()) * 4_194_304 + e.uid % 4_194_304
                e.link = f"https://x.com/{s.handle}/status/{sid}"
            e.guid = e.link
            return
        slug = slugify(e.title or (e.story.name if e.story else "post"), 50) or "post"
        d = e.pub
        if s.kind == "podcast":
            e.link = f"https://{s.domain}/episodes/{e.seq}-{slug}"
            e.guid = e.link if s.idx % 2 else f"{s.slug}-ep-{e.seq}"
            return
        if s.kind == "newsletter" and not s.aggregator:
            link = f"https://{s.domain}/p/{slug}"
        elif s.kind == "media":
            link = f"https://{s.domain}/{d:%Y/%m/%d}/{slug}"
        elif s.kind == "researcher":
            link = f"https://{s.domain}/{d:%Y/%m}/{slug}/"
        else:
            link = f"https://{s.domain}/blog/{d:%Y/%m}/{slug}"
        taken = self._links.setdefault(s.idx, set())
        if link in taken:
            link = f"{link.rstrip('/')}-{e.seq}"
        taken.add(link)
        e.link = link
        if s.fmt == "atom":
            e.guid = f"tag:{s.domain},{d:%Y-%m-%d}:/{e.seq}-{slug}"
        elif (s.idx + e.seq) % 3 == 0:
            e.guid = f"{s.slug}-{e.seq:05d}"  # isPermaLink="false"
        else:
            e.guid = link

    # ---- story items
    def render_story(self, e: Entry, rng: random.Random) -> None:
        st = e.story
        assert st is not None
        kind = e.src.kind
        style = "primary" if e.role == "primary" else kind
        if kind == "arxiv":
            return self.render_paper_item(e, rng, st)
        if kind == "social":
            return self.render_social_story(e, rng, st)
        ctx = self.ctx(e, rng)
        lo, mode, hi = TARGETS[kind if style != "primary" else "lab"]
        body = Body(int(rng.triangular(lo, hi, mode)))
        name = self.alias(st, rng) if style != "primary" else st.name
        ctx.name = name
        links = rng.random() < LINK_PROB[style]
        tail: list[str] = []
        # title
        e.title = self.story_title(st, style, e, rng, name)
        # lead
        if style == "primary":
            lead = (
                rng.choice(
                    [
                        f"Today we are releasing {st.name}, {st.what}.",
                        f"We're excited to introduce {st.name}: {st.what}.",
                        f"{st.name} is {st.what}, and it is available today.",
                    ]
                )
                if st.type in ("model", "dataset", "tool", "product", "hardware")
                else f"{st.facts[0]}"
            )
        elif kind == "vendor" and st.type == "model":
            where = e.src.vendor.product if e.src.vendor else "our platform"
            lead = (
                f"{name} is now available on {where}, {self.words.np(rng, 'inference')} included. "
                "Here is how to get started."
            )
        elif st.type in ("policy", "funding", "safety"):
            hl = headline(st)
            lead = rng.choice([f"{hl}.", f"News this week: {hl}.", f"In case you missed it: {hl}.", f"Big news: {hl}."])
        else:
            who = story_who(st)
            lead = rng.choice(
                [
                    f"{headline(st)}." if own(name, who) else f"{who} {st.verb} {name}, {st.what}.",
                    f"{cap(name)} is out: {st.what}.",
                    f"This week's big news is {name}, {st.what}.",
                    f"{who + ' has' if who else 'There is'} something new: {name}, {st.what}.",
                ]
            )
        if style == "primary" and rng.random() < 0.3 and st.type == "model":
            lead = "<strong>" + lead + "</strong>"
        body.add(f"<p>{lead} " + (self.words.sentence(rng, ctx) if rng.random() < 0.5 else "") + "</p>", must=True)
        # facts
        nf = len(st.facts) if style == "primary" else rng.randint(0, min(2, len(st.facts)))
        facts = st.facts[1:] if style == "primary" else rng.sample(st.facts, nf)
        if facts:
            if rng.random() < 0.35 and len(facts) > 1:
                body.add("<ul>" + "".join(f"<li>{f}</li>" for f in facts) + "</ul>", must=True)
            else:
                body.add("<p>" + " ".join(facts) + "</p>", must=True)
        # claims
        if st.claims:
            if style == "primary" and rng.random() < 0.6:
                body.add(self.claims_table(st, rng), must=True)
            elif rng.random() < {"primary": 1.0, "media": 0.6, "newsletter": 0.6, "researcher": 0.8, "vendor": 0.5}.get(
                style, 0.3
            ):
                txt = self.claims_prose(st, rng, rng.randint(1, 3), exact=style in ("primary", "researcher"))
                if rng.random() < 0.4:
                    rel = rng.choice(["ahead of", "level with", "just behind"])
                    txt += f" That puts it {rel} {st.baseline} on most of them."
                if st.extra.get("sizes") and max(st.extra["sizes"]) <= 14 and rng.random() < 0.3:
                    txt += " The team says it outperforms models ten times its size."
                body.add(f"<p>{txt}</p>", must=True)
        # artefacts
        if links:
            block = self.links_block(st, rng, style)
            if block:
                body.add(block, must=True)
        elif rng.random() < 0.5 and st.type == "model" and st.licence:
            body.add(f"<p>The weights are on Hugging Face under {st.licence}.</p>", must=True)
        # usage snippet
        if st.snippet and rng.random() < {"primary": 0.85, "vendor": 0.9, "researcher": 0.45, "newsletter": 0.2}.get(
            style, 0.05
        ):
            intro = rng.choice(["Getting started:", "To try it locally:", "Quickstart:", "You can run it with:"])
            body.add(f"<p>{intro}</p>" + self.snippet_block(st.snippet), must=True)
        if style == "researcher" and rng.random() < 0.5:
            body.add(
                f"<h2>{rng.choice(['What I like', 'What is missing', 'Caveats', 'My take', 'Early results'])}</h2>"
            )
        if kind == "media" and rng.random() < 0.5:
            who = self.world.person(rng)
            body.add(
                f"<blockquote><p>“{self.words.sentence(rng, ctx)}”</p></blockquote>"
                f"<p>— {who}, {rng.choice(['researcher', 'analyst', 'engineer', 'professor'])} "
                f"at {rng.choice(self.world.orgs + self.world.unis).name}</p>"
            )
        if style == "primary" and st.licence:
            tail.append(f"<p>{rng.choice(['Licence', 'License'])}: {escape(st.licence)}.</p>")
        if style == "primary" and rng.random() < 0.6:
            tail.append(
                f"<p><em>{rng.choice(['Thanks to', 'With contributions from'])} "
                f"{', '.join(rng.sample(self.world.people, 3))} "
                f"and the whole {story_who(st) or 'project'} team.</em></p>"
            )
        if e.src.sponsor_rate and rng.random() < e.src.sponsor_rate:
            sp = self.sponsor_block(rng, kind)
            if kind == "newsletter" and rng.random() < 0.5:
                body.parts.insert(0, sp)
                body.n += len(sp) + 1
            else:
                tail.append(sp)
        home = "https://" + (st.org.domain if st.org else st.vendor.domain if st.vendor else "example.com")
        if style == "primary" and st.type in ("product", "hardware", "funding") and rng.random() < 0.5:
            tail.append(
                f"<p>{rng.choice(['For more information, visit', 'Learn more at'])} "
                f"{a(home, story_who(st) or 'our site')}.</p>"
            )
        self.fill(body, rng, ctx, tail)
        e.html = body.html()
        e.teaser = self.teaser(e, rng)

    def story_title(self, st: Story, style: str, e: Entry, rng: random.Random, name: str) -> str:
        who = story_who(st)
        hook = rng.choice(st.hooks) if st.hooks else ""
        area_np = cap(self.words.np(rng, st.area))
        if style == "primary":
            return rng.choice(st.primary_titles)
        if style == "media":
            forms = [
                headline(st),
                f"{cap(name)}: {hook}",
                f"{cap(name)}: what it means for {area_np.lower()}",
            ]
            if st.type in ("model", "dataset", "product", "hardware", "benchmark") and not own(name, who):
                forms += [
                    f"{who} {st.verb} {name}",
                    f"{who}'s new {name} {hook}" if st.type == "model" else f"{who} {st.verb} {name}: {hook}",
                ]
        elif style == "newsletter":
            issue = f"#{e.seq}"
            forms = [
                f"{cap(name)}: what you need to know",
                f"Everything we know about {name}",
                f"{issue}: {name} and {area_np.lower()}",
                f"{issue} — {cap(name)}, {hook}",
                f"The {name} issue",
            ]
        elif style == "researcher":
            forms = [
                f"First impressions of {name}",
                f"Notes on {name}",
                f"What {name} tells us about {area_np.lower()}",
                f"{cap(name)}: a closer look",
                f"Reading the {name} report"
                if st.type in ("model", "paper", "benchmark", "safety")
                else f"Thoughts on {name}",
                f"I tried {name} so you don't have to"
                if st.type in ("model", "tool", "product")
                else f"Why {name} matters",
            ]
        elif style == "podcast":
            guest = self.world.person(rng)
            forms = [
                f"Ep. {e.seq}: {cap(name)}, {area_np.lower()} and what comes next",
                f"{guest} on {name} and {area_np.lower()}",
                f"#{e.seq} — Unpacking {name}",
                f"Episode {e.seq}: {cap(name)} with {guest}",
            ]
            e.persons = [(guest, "guest")]
        elif style == "vendor":
            v = e.src.vendor
            forms = (
                [
                    f"{name} is now available on {v.product if v else 'our platform'}",
                    f"Serving {name} on {v.product if v else 'our platform'}",
                    f"{v.name if v else 'We'} adds support for {name}",
                    f"Fine-tune {name} with {v.product if v else 'us'}",
                ]
                if st.type == "model"
                else [
                    f"What {name} means for {v.name if v else 'our'} customers",
                    f"{cap(name)}: our take",
                    f"Using {name} with {v.product if v else 'our platform'}",
                ]
            )
        else:  # lab covering someone else's story
            forms = [f"Our notes on {name}", f"{cap(name)}"]
        return rng.choice(forms)

    def fill(self, body: Body, rng: random.Random, ctx: Ctx, tail: list[str]) -> None:
        tail_n = sum(len(t) for t in tail)
        while body.n + tail_n < body.target:
            p = self.words.paragraph(rng, ctx)
            if body.n + tail_n + len(p) > body.cap:
                p = "<p>" + self.words.sentence(rng, ctx) + "</p>"
                if body.n + tail_n + len(p) > body.cap:
                    break
            body.parts.append(p)
            body.n += len(p) + 1
        for t in tail:
            if body.n + len(t) <= body.cap:
                body.parts.append(t)
                body.n += len(t) + 1
        while body.n < MIN_BODY and body.cap >= MIN_BODY:
            p = "<p>" + self.words.sentence(rng, ctx) + "</p>"
            body.parts.append(p)
            body.n += len(p) + 1

    def teaser(self, e: Entry, rng: random.Random) -> str | None:
        if e.src.body_mode != "content" or rng.random() < 0.15:
            return None
        text = re.sub(r"<[^>]+>", " ", e.html)
        text = re.sub(r"\s+", " ", text).strip()
        if rng.random() < 0.5:
            cut = text[: rng.randint(140, 260)]
            return cut.rsplit(" ", 1)[0] + "…"
        return text.split(". ")[0].rstrip(".") + "."

    def render_paper_item(self, e: Entry, rng: random.Random, st: Story | None, area: str | None = None) -> None:
        """An arXiv-listing item: the paper's title, 'arXiv:ID Announce Type: new Abstract: ...'."""
        used = self.world.used
        if st is not None and (e.role == "techreport" or st.type not in ("paper", "benchmark", "safety", "dataset")):
            aid = st.links["arxiv"].rsplit("/", 1)[1]
            title = f"{st.name}{' Technical Report' if st.type == 'model' else ': ' + cap(st.what)}"
            authors = [*paper_authors(self.world, rng), f"{story_who(st)} Team".strip()]
            abs_text = (
                f"We present {st.name}, {st.what}. "
                + " ".join(re.sub(r"<[^>]+>", "", f) for f in st.facts[:3])
                + (" " + self.claims_prose(st, rng, 3) if st.claims else "")
                + (f" Weights are available at {st.links['hf']}." if "hf" in st.links else "")
                + (f" Data: {st.links['dataset']}." if "dataset" in st.links else "")
            )
        elif st is not None:
            aid = st.links["arxiv"].rsplit("/", 1)[1]
            title = st.extra.get("title") or st.primary_titles[0]
            authors = st.authors or paper_authors(self.world, rng)
            abs_text = st.abstract or f"We release {st.name}, {st.what}. " + " ".join(
                re.sub(r"<[^>]+>", "", f) for f in st.facts
            )
        else:
            area = area or rng.choice(e.src.areas)
            method = method_name(rng, used) if rng.random() < 0.85 else None
            title, topic = paper_title(rng, area, method)
            aid = arxiv_id(rng, e.pub, used)
            code = (
                f"https://github.com/{slugify(rng.choice(self.world.people))}/{slugify(method or title.split()[0])}"
                if rng.random() < 0.35
                else None
            )
            abs_text = abstract(rng, area, method, code, topic)
            authors = paper_authors(self.world, rng)
        padding = [
            "We discuss implications for practitioners and directions for future work.",
            "Extensive ablations isolate the contribution of each component.",
            "All models, data and evaluation code are described in enough detail to reproduce the results.",
            "We hope this work serves as a foundation for further research in this direction.",
        ]
        while len(abs_text) < 600 and padding:
            abs_text += " " + padding.pop(rng.randrange(len(padding)))
        version = "v1" if e.role != "copy" else "v2"
        ann = rng.choice(["new", "new", "new", "cross"]) if version == "v1" else "replace"
        e.title = title
        e.authors = authors
        e.link = f"https://arxiv.org/abs/{aid}"
        e.guid = f"oai:arXiv.org:{aid}{version}"
        extra = ""
        if rng.random() < 0.4:
            comments = [
                "12 pages, 5 figures", f"Accepted at {rng.choice(CONFS)} {e.pub.year}", "Preprint, under review",
                "9 pages; code and data released", "Technical report",
            ]  # fmt: skip
            extra = f"<p>Comments: {rng.choice(comments)}</p>"
        e.html = (
            f"<p>arXiv:{aid}{version} Announce Type: {ann}</p><p>Abstract: {escape(abs_text, quote=False)}</p>{extra}"
        )
        if len(e.html) > MAX_BODY:
            e.html = e.html[: MAX_BODY - 10].rsplit(" ", 1)[0] + "…</p>"
        e.cats = [e.src.cat[0]] if e.src.cat else []

    def render_social_story(self, e: Entry, rng: random.Random, st: Story) -> None:
        name = self.alias(st, rng)
        if rng.random() < 0.25:
            name = name.lower().replace(" ", "-") if st.type == "model" else name
        hook = rng.choice(st.hooks)
        forms = [
            f"{cap(name)} just dropped 🤯 {hook}.",
            f"{cap(name)} is out. {cap(hook)}.",
            f"Been playing with {name} for an hour. "
            f"{rng.choice(['Impressive on', 'Disappointing on', 'Mixed results on'])} {rng.choice(TASKS)}.",
            f"The {name} {rng.choice(['report', 'release', 'announcement'])} is worth a read: {hook}.",
            f"Everyone is talking about {name}, but the interesting detail is {self.words.np(rng, st.area)}.",
            f"So: {headline(st)}. Thoughts?",
        ]
        text = escape(rng.choice(forms), quote=False)
        if st.claims and rng.random() < 0.3:
            b, v, _ = rng.choice(st.claims)
            text += f" Scores {v:g} on {b}."
        if rng.random() < LINK_PROB["social"] and st.links:
            k = rng.choice(list(st.links))
            url = link_variant(rng, k, st.links[k])
            text += " " + (
                a(url, url.split("://", 1)[-1][:40] + "…") if rng.random() < 0.7 else escape(url.split("://", 1)[-1])
            )
        self.finish_social(e, rng, text, st.area)

    def finish_social(self, e: Entry, rng: random.Random, text: str, area: str) -> None:
        first = text.split(" ", 1)[0]
        if rng.random() < 0.5 and first in PLAIN_STARTS:  # never lower-case a name
            text = rng.choice(SOCIAL_LEADS) + text[:1].lower() + text[1:]
        if rng.random() < 0.4:
            text += rng.choice(SOCIAL_ENDS)
        tags = rng.sample(
            ["LLM", "AI", "MachineLearning", "OpenSource", "NLP", "GenAI", "MLOps", "Research"], rng.randint(0, 3)
        )
        if e.src.social_host == "mastodon.social" and tags:
            text += " " + " ".join(
                f'<a href="https://mastodon.social/tags/{t}" class="mention hashtag" rel="tag">#<span>{t}</span></a>'
                for t in tags
            )
        elif tags:
            text += " " + " ".join(f"#{t}" for t in tags)
        if rng.random() < e.src.sponsor_rate:
            text += " " + self.sponsor_block(rng, "social")
        if rng.random() < 0.3:  # a short thread
            ctx = Ctx(area, e.pub)
            text += "".join(f"</p><p>{self.words.sentence(rng, ctx)}" for _ in range(rng.randint(1, 3)))
        e.html = f"<p>{text}</p>"
        plain = re.sub(r"<[^>]+>", "", e.html)
        e.title = (plain[:90].rsplit(" ", 1)[0] + "…" if len(plain) > 90 else plain) if e.src.titled else None

    # ---- copies
    def render_copy(self, e: Entry, rng: random.Random) -> None:
        o = e.orig
        assert o is not None
        e.authors = o.authors[:]
        e.title = o.title if rng.random() < 0.6 else f"{o.src.title}: {o.title}"
        if e.title is None:
            e.title = o.src.title
        parts = o.html.split("\n")
        if len(parts) > 2 and rng.random() < 0.4:
            parts = parts[:-1]
        if rng.random() < 0.3:
            parts = [p.replace("’", "'").replace("“", '"').replace("”", '"') for p in parts]
        body = "\n".join(parts)
        orig_link = o.link + ("?utm_source=" + e.src.slug + "&utm_medium=rss" if rng.random() < 0.3 else "")
        footer = f"<p>This post originally appeared on {a(orig_link, o.src.title)}.</p>"
        if e.src.kind == "media":
            footer = f"<p><em>This story was first published by {escape(o.src.title)}.</em></p>"
        body = body[: MAX_BODY - len(footer) - 1] if len(body) + len(footer) > MAX_BODY else body
        if body.count("<") != body.count(">"):
            body = body[: body.rfind("<")]
        e.html = body + "\n" + footer
        e.teaser = o.teaser
        e.cats = o.cats[:]

    # ---- one-off items
    def render_oneoff(self, e: Entry, rng: random.Random) -> None:
        kind = e.src.kind
        if kind == "arxiv":
            return self.render_paper_item(e, rng, None)
        ctx = self.ctx(e, rng)
        if kind == "social":
            tpl = rng.choice(self.words.social)
            model = self.world.known_model(rng, e.pub)
            text = escape(self.words.fill(tpl, rng, ctx, {"model": model}), quote=False)
            self.attribute(e, model, text)
            topic = self.words.np(rng, ctx.area)
            if rng.random() < 0.35:
                release = self.world.releases.get(model)
                u = rng.choice(
                    [
                        f"https://github.com/{slugify(self.world.person(rng))}/{slugify(topic)[:30]}",
                        f"https://arxiv.org/abs/{arxiv_id(rng, e.pub, self.world.used)}",
                        release.links.get("hf", release.links["blog"])
                        if release
                        else f"https://github.com/{slugify(model)}",
                        f"https://{rng.choice(self.world.orgs).domain}/blog/{slugify(self.words.np(rng, ctx.area))}",
                    ]
                )
                text += " " + a(u, u.split("://", 1)[1][:40] + ("…" if len(u) > 48 else ""))
                if release and u in release.links.values():
                    self.attribute(e, model, model)
            return self.finish_social(e, rng, text, ctx.area)
        lo, mode, hi = TARGETS[kind]
        body = Body(int(rng.triangular(lo, hi, mode)))
        tail: list[str] = []
        x = self.words.np(rng, ctx.area)
        y = self.words.np(rng, ctx.area, avoid=x)
        model = self.world.known_model(rng, e.pub)
        ctx.model = model if rng.random() < 0.5 else None
        title_model = model
        org = rng.choice(self.world.orgs).name
        person = self.world.person(rng)
        if kind == "newsletter" and not e.src.aggregator and rng.random() < 0.65:
            return self.render_roundup(e, rng, ctx)
        # X: the subject, sometimes narrowed ("speculative decoding for small models"), so titles rarely repeat
        X = x + (rng.choice(QUALIFIERS) if rng.random() < 0.6 else "")
        n, pct, year = rng.randint(3, 12), rng.choice([10, 15, 20, 25, 30, 40, 50, 60]), e.pub.year
        month = e.pub.strftime("%B")
        org2 = rng.choice(self.world.orgs).name
        vendor = rng.choice(self.world.vendors).name
        if kind == "researcher" or (kind == "newsletter"):
            titles = [
                f"Notes on {X}", f"Why {X} matters more than {y}", f"A practical guide to {X}",
                f"What I learned from {n} {rng.choice(['weeks', 'months', 'experiments', 'training runs'])} of {X}",
                f"In defence of {X}", f"Some thoughts on {X} and {y}", f"How I evaluate {X}",
                f"The case against {X}", f"{cap(X)}, explained", f"Revisiting {X} in {year}",
                f"A reading list for {X}", f"{n} mistakes teams make with {X}", f"{model} in practice: {X}",
                f"Does anyone still care about {X}?", f"The state of {X}, {month} {year}",
                f"{cap(X)}: {n} lessons from {org}", f"What {person} gets right about {X}",
                f"Reproducing {org}'s results on {X}", f"{cap(X)} vs {y}: a {rng.choice(ADJ).lower()} comparison",
                f"My {X} setup, {year} edition", f"Is {X} worth it for a team of {n}?",
                f"Field notes: {X} with {model}", f"Benchmarking {X} on {rng.choice(GPUS)}s",
                f"Against the hype: {X}", f"{cap(X)} after {model}",
            ]  # fmt: skip
        elif kind == "media":
            titles = [
                f"{org} expands work on {X}", f"{org} hires former {org2} lead to run {X}",
                f"Inside {org}'s push into {X}", f"Why {org} suddenly cares about {X}",
                f"Report: {org} in talks with {vendor} over {y}", f"{org} cuts prices for {y} by {pct}%",
                f"Analysts warn on {X} as {org} ramps up", f"{org} and {vendor} partner on {X}",
                f"The race for {X}: {org} vs {org2}", f"{person} leaves {org} to start a company focused on {X}",
                f"{org} opens {rng.choice(CITIES)} office focused on {X}",
                f"{vendor} cuts {pct}% of staff as {y} slows", f"{org} faces questions over {X}",
                f"{org} quietly updates its policy on {X}",
                f"{rng.choice(STARTUPS)} raises ${rng.choice([3, 5, 8, 12, 20, 35])}M for {X}",
                f"{cap(X)}: {n} things to know this week", f"Exclusive: {org} tests {X} with {vendor}",
            ]  # fmt: skip
        elif kind == "vendor":
            v = e.src.vendor
            prod = v.product if v else "our platform"
            vname, vdomain = (v.name, v.domain) if v else ("The company", "example.com")
            cust = rng.choice(CUSTOMERS)
            titles = [
                f"How {cust} uses {prod} for {X}", f"A practical guide to {X} with {prod}",
                f"{prod} now supports {X}", f"Webinar: {X} with {person}", f"Benchmarking {X} on {prod}",
                f"{n} patterns for {X}", f"Cutting costs with {X}", f"How {cust} cut {y} costs by {pct}%",
                f"Case study: {cust} cuts latency {rng.choice([2, 3, 5])}x with {prod}",
                f"{v.name if v else 'We'} at {rng.choice(CONFS)} {year}: {X}", f"Customer spotlight: {cust} on {X}",
                f"Announcing {prod} {rng.choice(['Enterprise', 'Teams', 'for Startups'])}: {X}",
                f"{prod} {month} {year} update: {X}", f"Release notes: {prod} {rng.randint(1, 9)}.{rng.randint(0, 30)}",
                f"Introducing {X} in {prod}",
            ]  # fmt: skip
            if rng.random() < 0.4:
                tail.append(rng.choice([
                    f"<p>{vname} today announced the general availability of {prod}, an industry-leading, "
                    f"enterprise-grade platform that empowers teams to unlock {x}.</p>",
                    f"<p>Ready to get started? {a(f'https://{vdomain}/signup', 'Start your free trial')} "
                    "— no credit card required.</p>",
                    f"<p>About {vname}: {vname} is a leading provider of {x} solutions. "
                    f"For more information, visit {vdomain}.</p>",
                ]))  # fmt: skip
        elif kind == "lab":
            org = e.src.org.name if e.src.org else org
            ctx.org = org
            titles = [
                f"Our approach to {X}", f"Research update: {X}", f"Lessons from scaling {X}",
                f"What we learned building {X}", f"{org} at {rng.choice(CONFS)} {year}: our work on {X}",
                f"Open problems in {X}: where we are in {year}",
                f"We're hiring: {rng.choice(ROLES)} for {X}", f"A new method for {X}", f"Measuring {X}",
                f"{org} research roundup, {month} {year}", f"Toward better {X}", f"{cap(X)} at {org}: {n} lessons",
                f"Sharing our work on {X} and {y}", f"{org} fellows {year}: {X}",
            ]  # fmt: skip
        else:  # podcast
            e.persons = [(person, "guest")]
            titles = [
                f"Ep. {e.seq}: {person} on {X}", f"#{e.seq} — {cap(X)} with {person}",
                f"{person}: {x}, {y} and what comes next", f"Episode {e.seq}: How much of {X} is hype?",
                f"Ep. {e.seq}: The economics of {X}", f"{cap(x)} vs {y}, with {person}",
            ]  # fmt: skip
        e.title = rng.choice(titles)
        self.attribute(e, title_model, e.title)
        if kind == "podcast":
            body.add(
                f"<p>{person} joins us to talk about {x}, {y} and {self.words.np(rng, rng.choice(AREA_LIST))}. "
                f"{self.words.sentence(rng, ctx)}</p>",
                must=True,
            )
        else:
            body.add(self.words.paragraph(rng, ctx, rng.randint(2, 3)), must=True)
        # texture that the assessor reacts to
        r = rng.random()
        if kind in ("researcher", "lab", "vendor") and r < 0.18:
            pkg = rng.choice(TOOLS)[2]
            repo, hub_name = slugify(x)[:24], model.replace(" ", "-")
            code = rng.choice(
                [
                    f"pip install {pkg}\npython -m {pkg.replace('-', '_')} --config configs/{slugify(x)[:20]}.yaml",
                    f"git clone https://github.com/{slugify(person)}/{repo}\ncd {repo} && pip install -e .",
                    "import torch\nfrom transformers import AutoModelForCausalLM\n"
                    f'model = AutoModelForCausalLM.from_pretrained("{rng.choice(self.world.orgs).slug}/{hub_name}")',
                ]
            )
            body.add(self.snippet_block(code))
        elif r < 0.3:
            links = rng.sample(
                [
                    a(f"https://arxiv.org/abs/{arxiv_id(rng, e.pub, self.world.used)}", "the paper"),
                    a(f"https://github.com/{rng.choice(self.world.orgs).slug}/{slugify(x)[:30]}", "the repo"),
                    a(f"https://huggingface.co/{rng.choice(self.world.orgs).slug}/{model.replace(' ', '-')}", model),
                    a(f"https://{rng.choice(self.world.orgs).domain}/blog/{slugify(y)}", "an earlier post"),
                ],
                rng.randint(1, 3),
            )
            body.add(f"<p>{rng.choice(['Further reading: ', 'Links: ', 'See also '])}{', '.join(links)}.</p>")
        elif r < 0.38 and kind in ("media", "researcher", "newsletter"):
            b = rng.choice(BENCH_SPECS)
            body.add(
                f"<p>{model} reportedly scores {bench_value(rng, b, rng.random()):g} on {b[0]}, "
                f"{rng.choice(ASIDES)}.</p>"
            )
        elif r < 0.45 and kind == "media":
            tail.append(
                f"<p>{rng.choice(['This changes everything for', 'A game-changer for', 'Huge news for'])} "
                f"anyone working on {x}.</p>"
            )
        if kind == "podcast" and rng.random() < 0.6:
            stamps = []
            t = 0
            for _ in range(rng.randint(4, 8)):
                stamps.append(
                    f"{t // 3600:d}:{t % 3600 // 60:02d}:{t % 60:02d} {cap(self.words.np(rng, rng.choice(AREA_LIST)))}"
                    if t >= 3600
                    else f"{t // 60:02d}:{t % 60:02d} {cap(self.words.np(rng, rng.choice(AREA_LIST)))}"
                )
                t += rng.randint(180, 900)
            body.add("<p>Timestamps:</p><ul>" + "".join(f"<li>{s}</li>" for s in stamps) + "</ul>")
        if e.src.sponsor_rate and rng.random() < e.src.sponsor_rate:
            tail.append(self.sponsor_block(rng, kind))
        if kind == "newsletter" and rng.random() < 0.3:
            tail.append(
                f"<p>Enjoyed this? {a('https://' + e.src.domain + '/subscribe', 'Upgrade to paid')} "
                "to get the Thursday deep dives.</p>"
            )
        self.fill(body, rng, ctx, tail)
        e.html = body.html()
        e.teaser = self.teaser(e, rng)

    def attribute(self, e: Entry, model: str, text: str) -> None:
        """A one-off that names a model released in the last three weeks as its subject covers that release."""
        st = self.world.releases.get(model)
        if st is None or model not in text or not timedelta(0) <= e.pub - st.t0 <= timedelta(days=21):
            return
        if self.story_items.get(st.id, 0) < MAX_COVERAGE:
            self.story_items[st.id] = self.story_items.get(st.id, 0) + 1
            e.about = st

    def render_roundup(self, e: Entry, rng: random.Random, ctx: Ctx) -> None:
        """A weekly newsletter issue touching several recent stories (truth: no story, "mentions")."""
        recent = self.recent_stories(e.pub, rng)
        e.mentions = [s.id for s in recent]
        names = [self.alias(s, rng) for s in recent]
        if len(names) >= 2:
            e.title = rng.choice(
                [
                    f"#{e.seq}: {names[0]}, {names[1]}" + (" and more" if len(names) > 2 else ""),
                    f"This week: {', '.join(names[:3])}",
                    f"{e.src.title} #{e.seq} — {names[0]} and {self.words.np(rng, ctx.area)}",
                ]
            )
        else:
            e.title = f"#{e.seq}: {cap(self.words.np(rng, ctx.area))}" + (f" and {names[0]}" if names else "")
        body = Body(int(rng.triangular(1400, 3000, 2600)))
        tail: list[str] = []
        if e.src.sponsor_rate and rng.random() < e.src.sponsor_rate:
            body.add(self.sponsor_block(rng, "newsletter"), must=True)
        body.add(
            f"<p>{rng.choice(['Hi all,', 'Welcome back.', 'Good morning.'])} {self.words.sentence(rng, ctx)}</p>",
            must=True,
        )
        for s, n in zip(recent, names, strict=True):
            line = f"<h3>{escape(cap(n))}</h3><p>{escape(headline(s))}. "
            if s.links and rng.random() < 0.6:
                k = rng.choice(list(s.links))
                line += a(link_variant(rng, k, s.links[k]), LINK_LABELS.get(k, k)) + ". "
            line += self.words.sentence(rng, Ctx(s.area, e.pub)) + "</p>"
            if not body.add(line):
                break
        if rng.random() < 0.4:
            tail.append(
                f"<p>{a('https://' + e.src.domain + '/subscribe', 'Upgrade to paid')} for the full archive.</p>"
            )
        self.fill(body, rng, ctx, tail)
        e.html = body.html()
        e.teaser = self.teaser(e, rng)

    def recent_stories(self, when: datetime, rng: random.Random) -> list[Story]:
        i = bisect.bisect_left(self._t0s, when)
        j = bisect.bisect_left(self._t0s, when - timedelta(days=8))
        pool = self._stories[j:i]
        if not pool:
            return []
        k = min(len(pool), rng.randint(2, 5))
        picked = rng.choices(pool, weights=[s.size for s in pool], k=k * 2)
        return list({s.id: s for s in picked}.values())[:k]

    def set_stories(self, stories: list[Story]) -> None:
        self._stories = stories
        self._t0s = [s.t0 for s in stories]

    def podcast_extras(self, e: Entry, rng: random.Random) -> None:
        s = e.src
        dur = int(rng.triangular(900, 7200, 3200))
        e.duration = dur
        slug = slugify(e.title or "episode", 40)
        e.enclosure = (f"https://media.{s.domain}/episodes/{e.seq:04d}-{slug}.mp3", "audio/mpeg", dur * 16_000)
        if not e.persons and rng.random() < 0.4:
            e.persons = [(self.world.person(rng), "guest")]


# --------------------------------------------------------------------------- feed rendering


def x(s: str | None) -> str:
    return escape(s or "", quote=False)


def xa(s: str) -> str:
    return escape(s, quote=True)


def rss_date(dt: datetime, src: Src) -> str:
    if src.gmt:
        return format_datetime(dt.astimezone(UTC), usegmt=True)
    return format_datetime(dt.astimezone(src.tz))


def atom_date(dt: datetime, src: Src) -> str:
    d = dt.astimezone(src.tz).replace(microsecond=0)
    return d.isoformat().replace("+00:00", "Z")


def fmt_duration(sec: int, style: int) -> str:
    if style == 0:
        return str(sec)
    h, m, s = sec // 3600, sec % 3600 // 60, sec % 60
    return f"{h}:{m:02d}:{s:02d}" if h or style == 1 else f"{m}:{s:02d}"


def render_rss(src: Src, entries: list[Entry], anchor: datetime) -> str:
    ns = [
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
        'xmlns:dc="http://purl.org/dc/elements/1.1/"',
        'xmlns:atom="http://www.w3.org/2005/Atom"',
    ]
    pod = src.kind == "podcast"
    if pod:
        ns += [
            'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
            'xmlns:podcast="https://podcastindex.org/namespace/1.0"',
        ]
        if src.chapters:
            ns.append('xmlns:psc="http://podlove.org/simple-chapters"')
    site = f"https://{src.domain}/"
    if src.kind == "social":
        site = {
            "mastodon.social": f"https://mastodon.social/@{src.handle}",
            "bsky.app": f"https://bsky.app/profile/{src.handle}.bsky.social",
        }.get(src.social_host, f"https://x.com/{src.handle}")
    if src.kind == "arxiv":
        site = f"https://arxiv.org/list/{src.cat[0]}/new"
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {" ".join(ns)}>\n<channel>\n']
    out.append(
        f"<title>{x(src.title)}</title>\n<link>{x(site)}</link>\n<description>{x(src.description)}</description>\n"
    )
    out.append(f'<atom:link href="https://{src.domain}/feed/{src.slug}.xml" rel="self" type="application/rss+xml"/>\n')
    out.append(f"<language>en{'-us' if src.idx % 3 == 0 else ''}</language>\n")
    if entries:
        out.append(f"<lastBuildDate>{rss_date(entries[-1].pub, src)}</lastBuildDate>\n")
    if src.generator:
        out.append(f"<generator>{x(src.generator)}</generator>\n")
    if src.kind == "arxiv":
        out.append(
            "<managingEditor>rss-help@arxiv.org</managingEditor>\n<skipDays><day>Saturday</day><day>Sunday</day></skipDays>\n"
        )
    if pod:
        host = src.authors[0] if src.authors else src.title
        out.append(
            f"<itunes:author>{x(' & '.join(src.authors))}</itunes:author>\n"
            f"<itunes:owner><itunes:name>{x(host)}</itunes:name>"
            f"<itunes:email>hello@{src.domain}</itunes:email></itunes:owner>\n"
            f'<itunes:image href="https://media.{src.domain}/cover.jpg"/>\n<itunes:category text="Technology"/>\n'
            f"<itunes:explicit>false</itunes:explicit>\n<itunes:type>episodic</itunes:type>\n"
        )
        for h in src.authors:
            out.append(f'<podcast:person role="host">{x(h)}</podcast:person>\n')
    for i, e in enumerate(reversed(entries)):
        out.append(render_rss_item(src, e, i))
    out.append("</channel>\n</rss>\n")
    return "".join(out)


def render_rss_item(src: Src, e: Entry, i: int) -> str:
    p = ["<item>"]
    if e.title is not None:
        p.append(f"<title>{x(e.title)}</title>")
    p.append(f"<link>{x(e.link)}</link>")
    perma = e.guid == e.link
    p.append(f"<guid>{x(e.guid)}</guid>" if perma else f'<guid isPermaLink="false">{x(e.guid)}</guid>')
    p.append(f"<pubDate>{rss_date(e.pub, src)}</pubDate>")
    if src.kind == "arxiv":
        p.append(f"<dc:creator>{x(', '.join(e.authors))}</dc:creator>")
    elif e.authors and src.kind != "social":
        if src.kind == "podcast":
            p.append(f"<itunes:author>{x(e.authors[0])}</itunes:author>")
        else:
            p.append(f"<dc:creator>{x(e.authors[0])}</dc:creator>")
    for c in e.cats:
        p.append(f"<category>{x(c)}</category>")
    if src.body_mode == "content" and src.kind not in ("arxiv", "social"):
        if e.teaser:
            p.append(f"<description>{x(e.teaser)}</description>")
        if (src.idx + i) % 2:
            p.append(f"<content:encoded><![CDATA[{e.html}]]></content:encoded>")
        else:
            p.append(f"<content:encoded>{x(e.html)}</content:encoded>")
    else:
        p.append(f"<description>{x(e.html)}</description>")
    if e.enclosure:
        url, typ, length = e.enclosure
        p.append(f'<enclosure url="{xa(url)}" length="{length}" type="{typ}"/>')
        p.append(f"<itunes:duration>{fmt_duration(e.duration or 0, src.idx % 3)}</itunes:duration>")
        p.append(f"<itunes:episode>{e.seq}</itunes:episode><itunes:episodeType>full</itunes:episodeType>")
        for name, role in e.persons:
            p.append(f'<podcast:person role="{role}">{x(name)}</podcast:person>')
        if src.transcripts:
            p.append(
                f'<podcast:transcript url="https://media.{src.domain}/transcripts/{e.seq}.vtt" '
                'type="text/vtt" language="en"/>'
            )
        if src.chapters and e.duration:
            step = max(300, e.duration // 5)
            ch = "".join(
                f'<psc:chapter start="{fmt_duration(t, 1)}" title="Part {k + 1}"/>'
                for k, t in enumerate(range(0, e.duration, step))
            )
            p.append(f'<psc:chapters version="1.2">{ch}</psc:chapters>')
    p.append("</item>\n")
    return "".join(p)


def render_atom(src: Src, entries: list[Entry], anchor: datetime) -> str:
    site = f"https://{src.domain}/"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n',
        f"<id>tag:{src.domain},2020:feed</id>\n<title>{x(src.title)}</title>\n<subtitle>{x(src.description)}</subtitle>\n",
        f'<link rel="alternate" type="text/html" href="{xa(site)}"/>\n',
        f'<link rel="self" type="application/atom+xml" href="https://{src.domain}/feed.atom"/>\n',
        f"<updated>{atom_date(entries[-1].pub if entries else anchor, src)}</updated>\n",
    ]
    if src.generator:
        out.append(f"<generator>{x(src.generator)}</generator>\n")
    if src.authors:
        out.append(f"<author><name>{x(src.authors[0])}</name></author>\n")
    for i, e in enumerate(reversed(entries)):
        p = ["<entry>", f"<id>{x(e.guid)}</id>"]
        if e.title is not None:
            p.append(
                f'<title type="html">{x(x(e.title))}</title>'
                if (src.idx + i) % 4 == 0
                else f"<title>{x(e.title)}</title>"
            )
        p.append(f'<link rel="alternate" type="text/html" href="{xa(e.link)}"/>')
        p.append(f"<published>{atom_date(e.pub, src)}</published>")
        p.append(f"<updated>{atom_date(e.updated or e.pub, src)}</updated>")
        for au in e.authors[:3]:
            p.append(f"<author><name>{x(au)}</name></author>")
        for c in e.cats:
            p.append(f'<category term="{xa(c)}"/>')
        if src.body_mode == "content" and e.teaser:
            p.append(f'<summary type="text">{x(e.teaser)}</summary>')
        if src.body_mode == "content" or (src.idx + i) % 2:
            if (src.idx + i) % 3 == 0:
                p.append(f'<content type="html"><![CDATA[{e.html}]]></content>')
            else:
                p.append(f'<content type="html">{x(e.html)}</content>')
        else:
            p.append(f'<summary type="html">{x(e.html)}</summary>')
        p.append("</entry>\n")
        out.append("".join(p))
    out.append("</feed>\n")
    return "".join(out)


# --------------------------------------------------------------------------- generation driver


def generate(out: Path, args: argparse.Namespace, anchor: datetime) -> dict[str, Any]:
    t0 = time.perf_counter()
    n_stories = args.stories if args.stories is not None else max(1, round(args.items * 0.03))
    world = World(args.seed)
    sources = build_sources(world, args.sources, args.seed, anchor, args.declared_fraction)
    stories = build_stories(world, n_stories, args.seed, anchor)
    entries, stats = plan_entries(stories, sources, args.items, args.seed, anchor)
    t_plan = time.perf_counter() - t0
    print(
        f"  planned {len(entries):,} items: {stats['story_items']:,} in {len(stories):,} stories "
        f"({stats['copies']:,} syndicated copies), {stats['oneoff_items']:,} one-offs ({t_plan:.1f}s)",
        flush=True,
    )
    writer = Writer(world, args.seed)
    writer.set_stories(stories)
    for e in entries:
        if e.story:
            writer.story_items[e.story.id] = writer.story_items.get(e.story.id, 0) + 1
    originals = [e for e in entries if e.role != "copy"]
    copies = [e for e in entries if e.role == "copy"]
    t1 = time.perf_counter()
    for k, e in enumerate(originals, 1):
        writer.render(e)
        if k % 20_000 == 0:
            print(f"  wrote {k:,}/{len(entries):,} items ({time.perf_counter() - t1:.0f}s)", flush=True)
    for e in copies:
        writer.render(e)
    t_render = time.perf_counter() - t1

    feeds_dir = out / "feeds"
    if feeds_dir.exists():
        shutil.rmtree(feeds_dir)
    feeds_dir.mkdir(parents=True)
    t2 = time.perf_counter()
    truth_lines, source_lines = [], []
    total_bytes = 0
    for s in sources:
        ents = s.entries
        seen: set[str] = set()
        for e in ents:  # guids must be unique within a feed
            if e.guid in seen:
                e.guid = f"{e.guid}-{e.uid}"
            seen.add(e.guid)
        text = render_rss(s, ents, anchor) if s.fmt == "rss" else render_atom(s, ents, anchor)
        data = text.encode("utf-8")
        total_bytes += len(data)
        (feeds_dir / s.file).write_bytes(data)
        for e in reversed(ents):  # feed order: newest first
            rec: dict[str, Any] = {"feed": s.file, "guid": e.guid, "story": e.truth.id if e.truth else None}
            if e.orig is not None:
                rec["copy_of"] = f"{e.orig.src.file}#{e.orig.guid}"
            if e.mentions:
                rec["mentions"] = e.mentions
            truth_lines.append(json.dumps(rec, ensure_ascii=False))
        source_lines.append(
            json.dumps(
                {
                    "file": s.file, "title": s.title, "kind": s.kind, "declared_kind": s.declared, "format": s.fmt,
                    "items": len(ents), "aggregator": s.aggregator, "bytes": len(data),
                },
                ensure_ascii=False,
            )
        )  # fmt: skip
    counts: dict[int, int] = {}
    for e in entries:
        if e.truth:
            counts[e.truth.id] = counts.get(e.truth.id, 0) + 1
    story_lines = []
    for st in stories:
        story_lines.append(
            json.dumps(
                {
                    "id": st.id, "type": st.type, "name": st.name, "area": st.area,
                    "date": st.t0.isoformat(timespec="seconds"),
                    "org": st.org.name if st.org else (st.vendor.name if st.vendor else None), "links": st.links,
                    "items": counts.get(st.id, 0), "primary_feed": st.primary_src.file if st.primary_src else None,
                },
                ensure_ascii=False,
            )
        )  # fmt: skip
    (out / "truth.jsonl").write_text("\n".join(truth_lines) + "\n", encoding="utf-8")
    (out / "stories.jsonl").write_text("\n".join(story_lines) + "\n", encoding="utf-8")
    (out / "sources.jsonl").write_text("\n".join(source_lines) + "\n", encoding="utf-8")
    t_write = time.perf_counter() - t2
    sizes = sorted(counts.values())
    covered = [c for c in sizes if c > 0]
    info = {
        "items": len(entries),
        "sources": len(sources),
        "stories": len(stories),
        "stories_with_items": len(covered),
        "story_items": sum(counts.values()),
        "planned_story_items": stats["story_items"],
        "oneoffs_about_a_release": sum(1 for e in entries if e.about),
        "copies": stats["copies"],
        "oneoff_items": stats["oneoff_items"],
        "roundups": sum(1 for e in entries if e.mentions),
        "story_size_mean": round(sum(covered) / len(covered), 2) if covered else 0,
        "story_size_max": max(covered) if covered else 0,
        "items_last_30d": sum(1 for e in entries if e.pub >= anchor - timedelta(days=30)),
        "items_last_365d": sum(1 for e in entries if e.pub >= anchor - timedelta(days=365)),
        "feed_bytes": total_bytes,
        "plan_s": round(t_plan, 2),
        "render_s": round(t_render, 2),
        "write_s": round(t_write, 2),
        "generate_s": round(time.perf_counter() - t0, 2),
    }
    print(
        f"  rendered in {t_render:.1f}s, wrote {len(sources)} feeds ({total_bytes / 1e6:.0f} MB) "
        f"+ truth in {t_write:.1f}s; "
        f"generation took {info['generate_s']:.1f}s",
        flush=True,
    )
    return info


# --------------------------------------------------------------------------- store


def import_highsignal() -> Any:
    try:
        import highsignal
    except ImportError:
        sys.path.insert(0, str(REPO_DIR / "src"))
        import highsignal
    return highsignal


def store_files(db: Path) -> list[Path]:
    return [p for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")) if p.exists()]


def build_store(out: Path, db: Path) -> dict[str, Any]:
    hs = import_highsignal()
    for p in store_files(db):
        p.unlink()
    sources = [json.loads(line) for line in (out / "sources.jsonl").read_text().splitlines() if line.strip()]
    t0 = time.perf_counter()
    lib = hs.open(db)
    try:
        for s in sources:
            lib.add_source(str(out / "feeds" / s["file"]), declared_kind=s["declared_kind"], fetch=False)
        t_add = time.perf_counter() - t0
        print(f"  added {len(sources)} sources in {t_add:.1f}s; refreshing (fetch + parse + store) ...", flush=True)
        done = {"n": 0, "items": 0}
        t1 = time.perf_counter()
        step = max(1, len(sources) // 10)

        def progress(result: Any) -> None:
            done["n"] += 1
            done["items"] += result.new
            if result.error:
                print(f"    ! {result.url}: {result.error}", flush=True)
            if done["n"] % step == 0 or done["n"] == len(sources):
                print(
                    f"    {done['n']}/{len(sources)} sources, {done['items']:,} items "
                    f"({time.perf_counter() - t1:.0f}s)",
                    flush=True,
                )

        report = lib.refresh(progress=progress, assess=False)
        t_refresh = time.perf_counter() - t1
        print(
            f"  refresh: {report.new_items:,} new items, {report.errors} errors in {t_refresh:.1f}s "
            f"({report.new_items / max(t_refresh, 1e-9):,.0f} items/s)",
            flush=True,
        )
        t2 = time.perf_counter()
        last = [0.0]

        def aprogress(n: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] >= 10 or n == total:
                last[0] = now
                print(
                    f"    assessed {n:,}/{total:,} ({now - t2:.0f}s, {n / max(now - t2, 1e-9):,.0f} items/s)",
                    flush=True,
                )

        assessed = lib.assess_pending(progress=aprogress)
        t_assess = time.perf_counter() - t2
        rubric_version = lib.rubric.version
    finally:
        lib.close()
    info = {
        "highsignal_version": getattr(hs, "__version__", None),
        "rubric_version": rubric_version,
        "sources": len(sources),
        "new_items": report.new_items,
        "errors": report.errors,
        "failed": [r.url for r in report.failed][:20],
        "assessed": assessed,
        "add_s": round(t_add, 2),
        "refresh_s": round(t_refresh, 2),
        "assess_s": round(t_assess, 2),
        "build_s": round(time.perf_counter() - t0, 2),
        "store_bytes": sum(p.stat().st_size for p in store_files(db)),
        "complete": True,
    }
    print(
        f"  assessed {assessed:,} items in {t_assess:.1f}s; store built in {info['build_s']:.1f}s, "
        f"{info['store_bytes'] / 1e6:.0f} MB",
        flush=True,
    )
    return info


def store_breakdown(db: Path) -> dict[str, Any]:
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out: dict[str, Any] = {
            "items": con.execute("SELECT count(*) FROM items").fetchone()[0],
            "assessments": con.execute("SELECT count(*) FROM assessments").fetchone()[0],
            "grades": dict(con.execute("SELECT grade, count(*) FROM assessments GROUP BY grade").fetchall()),
        }
        try:
            rows = con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8").fetchall()
            out["largest_mb"] = {n: round(b / 1e6, 1) for n, b in rows}
        except sqlite3.Error:
            pass
        return out
    finally:
        con.close()


# --------------------------------------------------------------------------- main


def load_meta(out: Path) -> dict[str, Any]:
    try:
        return json.loads((out / "meta.json").read_text())
    except (OSError, ValueError):
        return {}


def save_meta(out: Path, meta: dict[str, Any]) -> None:
    tmp = out / "meta.json.tmp"
    tmp.write_text(json.dumps(meta, indent=2, default=str))
    tmp.replace(out / "meta.json")


def parse_anchor(s: str) -> datetime:
    try:
        d = datetime.fromisoformat(s)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date/time: {s!r}") from exc
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    doc = __doc__ or ""
    ap = argparse.ArgumentParser(
        prog="make_rank_store.py",
        description=doc.split("\n\n")[0],
        epilog="\n\n".join(doc.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--items", type=int, default=100_000, help="items in all feeds together (default 100,000)")
    ap.add_argument("--sources", type=int, default=300, help="number of feeds (default 300, at least 9)")
    ap.add_argument("--stories", type=int, default=None, help="stories to simulate (default 3%% of --items: 3,000)")
    ap.add_argument("--seed", type=int, default=7, help="random seed; same seed + anchor = same bytes (default 7)")
    ap.add_argument(
        "--anchor",
        type=parse_anchor,
        default=None,
        help="'now' for the timestamps, ISO date/time in UTC (default: today 00:00 UTC; recorded in meta.json)",
    )
    ap.add_argument(
        "--declared-fraction", type=float, default=0.7, help="share of sources given a declared kind (default 0.7)"
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"output directory (default {DEFAULT_OUT.relative_to(REPO_DIR)} for 100,000 items, "
        f"else {DEFAULT_OUT.relative_to(REPO_DIR)}/items-N, so a smoke run never replaces the full store)",
    )
    ap.add_argument("--force", action="store_true", help="regenerate the feeds and rebuild the store even if cached")
    ap.add_argument(
        "--feeds-only", action="store_true", help="generate the feeds and truth files, do not build the store"
    )
    ap.add_argument(
        "--use-config", action="store_true", help="let the reader's highsignal config (rubric overrides) apply"
    )
    args = ap.parse_args(argv)
    if args.items < 1:
        ap.error("--items must be at least 1")
    if args.sources < len(KIND_SHARE) + 1:
        ap.error(f"--sources must be at least {len(KIND_SHARE) + 1}")
    if not 0 <= args.declared_fraction <= 1:
        ap.error("--declared-fraction must be between 0 and 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    out = (args.out or (DEFAULT_OUT if args.items == 100_000 else DEFAULT_OUT / f"items-{args.items}")).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not args.use_config:
        os.environ["HIGHSIGNAL_CONFIG"] = str(out / "no-config.toml")  # missing file: default rubric
    t_start = time.perf_counter()
    n_stories = args.stories if args.stories is not None else max(1, round(args.items * 0.03))
    params = {
        "generator": GENERATOR_VERSION,
        "script_sha1": hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12],
        "items": args.items,
        "sources": args.sources,
        "stories": n_stories,
        "seed": args.seed,
        "declared_fraction": args.declared_fraction,
    }
    meta = load_meta(out)
    db = out / "store.sqlite"
    files_ok = (out / "truth.jsonl").is_file() and (out / "sources.jsonl").is_file()
    if files_ok:
        try:
            listed = [
                json.loads(line)["file"] for line in (out / "sources.jsonl").read_text().splitlines() if line.strip()
            ]
            files_ok = len(listed) == args.sources and all((out / "feeds" / f).is_file() for f in listed)
        except (OSError, ValueError, KeyError):
            files_ok = False
    anchor_ok = args.anchor is None or meta.get("anchor") == args.anchor.isoformat()
    cached = not args.force and files_ok and meta.get("params") == params and anchor_ok and "generation" in meta
    if cached:
        anchor = datetime.fromisoformat(meta["anchor"])
        age = (datetime.now(UTC) - anchor).days
        print(
            f"feeds in {out / 'feeds'} match the parameters (anchor {anchor:%Y-%m-%d}, {age} days ago): "
            "not regenerating"
        )
    else:
        anchor = args.anchor or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        print(
            f"generating {args.items:,} items from {args.sources} sources, {n_stories:,} stories, seed {args.seed}, "
            f"anchor {anchor.isoformat()} into {out} ...",
            flush=True,
        )
        for p in [*store_files(db), out / "truth.jsonl", out / "stories.jsonl", out / "sources.jsonl"]:
            p.unlink(missing_ok=True)
        meta = {"params": params, "anchor": anchor.isoformat()}
        save_meta(out, meta)  # no "generation" key until it finishes
        meta["generation"] = generate(out, args, anchor)
        save_meta(out, meta)
    if args.feeds_only:
        print(f"done in {time.perf_counter() - t_start:.1f}s (--feeds-only: no store)")
        return
    store = meta.get("store") or {}
    same_config = store.get("use_config", False) == args.use_config
    if not args.force and store.get("complete") and db.is_file() and cached and same_config:
        hs = import_highsignal()
        print(f"using the cached store {db} ({sum(p.stat().st_size for p in store_files(db)) / 1e6:.0f} MB)")
        with hs.open(db) as lib:
            t = time.perf_counter()
            n = lib.assess_pending()
            if n:
                print(
                    f"  assessed {n:,} items the current rubric ({lib.rubric.version}) had not seen, "
                    f"{time.perf_counter() - t:.1f}s"
                )
                store["rubric_version"] = lib.rubric.version
                meta["store"] = store
                save_meta(out, meta)
    else:
        print(f"building {db} with highsignal ...", flush=True)
        meta.pop("store", None)
        save_meta(out, meta)
        meta["store"] = build_store(out, db)
        meta["store"]["use_config"] = args.use_config
        meta["store"]["contents"] = store_breakdown(db)
        save_meta(out, meta)
    gen, st = meta.get("generation", {}), meta.get("store", {})
    print(
        f"\nsummary: {gen.get('items', 0):,} items / {gen.get('sources')} feeds / "
        f"{gen.get('stories_with_items')} stories with items; generation {gen.get('generate_s')}s "
        f"({gen.get('feed_bytes', 0) / 1e6:.0f} MB of feeds); store build {st.get('build_s')}s "
        f"(refresh {st.get('refresh_s')}s, assess {st.get('assess_s')}s), "
        f"store {st.get('store_bytes', 0) / 1e6:.0f} MB; "
        f"total this run {time.perf_counter() - t_start:.1f}s"
    )


if __name__ == "__main__":
    main()
