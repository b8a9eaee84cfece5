"""Common evaluation benchmarks, their answer formats and chance levels.

A score means little without the floor it should be read against: 30% on a
four-way multiple-choice test is barely above guessing (rule R5 of the rubric).
``chance`` is the expected accuracy of uniform random guessing, in percent;
it is ``None`` where the answer is free-form or the number of options varies,
so that no near-chance judgement is made for those.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Benchmark:
    name: str
    aliases: tuple[str, ...]
    format: str
    chance: float | None


BENCHMARKS: tuple[Benchmark, ...] = (
    # Hendrycks et al. 2021, arXiv:2009.03300: 57 subjects, 4 options each.
    Benchmark("MMLU", ("mmlu",), "4-way multiple choice", 25.0),
    # Wang et al. 2024, arXiv:2406.01574: options widened to 10.
    Benchmark("MMLU-Pro", ("mmlu-pro", "mmlu pro", "mmlu_pro"), "10-way multiple choice", 10.0),
    # Li et al. 2023, arXiv:2306.09212 (CMMLU) and Huang et al. 2023, arXiv:2305.08322 (C-Eval): 4 options.
    Benchmark("CMMLU", ("cmmlu",), "4-way multiple choice", 25.0),
    Benchmark("C-Eval", ("c-eval", "ceval"), "4-way multiple choice", 25.0),
    # Clark et al. 2018, arXiv:1803.05457: almost all questions have 4 options. "AI2 Reasoning Challenge"
    # is its full name and the Open LLM Leaderboard's label for it.
    Benchmark(
        "ARC",
        (
            "arc-challenge",
            "arc challenge",
            "arc-c",
            "arc_challenge",
            "arc-easy",
            "arc easy",
            "arc-e",
            "arc_easy",
            "ai2 reasoning challenge",
            "ai2 arc",
            "ai2_arc",
        ),
        "4-way multiple choice",
        25.0,
    ),
    # Zellers et al. 2019, arXiv:1905.07830: pick the right ending of 4.
    Benchmark("HellaSwag", ("hellaswag", "hella swag"), "4-way multiple choice", 25.0),
    # Sakaguchi et al. 2019, arXiv:1907.10641: two candidate fillers.
    Benchmark("WinoGrande", ("winogrande", "wino grande"), "binary choice", 50.0),
    # Clark et al. 2019, arXiv:1905.10044: yes/no questions.
    Benchmark("BoolQ", ("boolq",), "yes/no", 50.0),
    # Bisk et al. 2020, arXiv:1911.11641: two candidate solutions.
    Benchmark("PIQA", ("piqa",), "binary choice", 50.0),
    # Rein et al. 2023, arXiv:2311.12022: 4 options.
    Benchmark("GPQA", ("gpqa", "gpqa diamond", "gpqa-diamond"), "4-way multiple choice", 25.0),
    # Mihaylov et al. 2018, arXiv:1809.02789: 4 options.
    Benchmark("OpenBookQA", ("openbookqa", "openbook qa", "obqa"), "4-way multiple choice", 25.0),
    # Sap et al. 2019, arXiv:1904.09728: 3 options.
    Benchmark("SIQA", ("siqa", "social iqa", "socialiqa"), "3-way multiple choice", 100 / 3),
    # Talmor et al. 2019, arXiv:1811.00937: 5 options.
    Benchmark("CommonsenseQA", ("commonsenseqa", "commonsense qa", "csqa"), "5-way multiple choice", 20.0),
    # Lai et al. 2017, arXiv:1704.04683: 4 options.
    Benchmark("RACE", ("race-h", "race-m", "race high", "race middle"), "4-way multiple choice", 25.0),
    # Welbl et al. 2017, arXiv:1707.06209: 4 options.
    Benchmark("SciQ", ("sciq",), "4-way multiple choice", 25.0),
    # Liu et al. 2020, arXiv:2007.08124: 4 options.
    Benchmark("LogiQA", ("logiqa",), "4-way multiple choice", 25.0),
    # Amini et al. 2019, arXiv:1905.13319: 5 options.
    Benchmark("MathQA", ("mathqa",), "5-way multiple choice", 20.0),
    # Jin et al. 2020, arXiv:2009.13081: the common US split has 4 options.
    Benchmark("MedQA", ("medqa",), "4-way multiple choice", 25.0),
    # Jin et al. 2019, arXiv:1909.06146: yes / no / maybe.
    Benchmark("PubMedQA", ("pubmedqa",), "3-way choice", 100 / 3),
    # Nie et al. 2019, arXiv:1910.14599: entailment / neutral / contradiction.
    Benchmark("ANLI", ("anli",), "3-way classification", 100 / 3),
    # Roemmele et al. 2011 (AAAI Spring Symposium): two alternatives.
    Benchmark("COPA", ("copa",), "binary choice", 50.0),
    # Lin et al. 2021, arXiv:2109.07958: MC1 questions have varying option counts.
    Benchmark("TruthfulQA", ("truthfulqa", "truthful qa", "truthfulqa mc1", "truthfulqa mc2"), "multiple choice", None),
    # Cobbe et al. 2021, arXiv:2110.14168: free-form numeric answer.
    Benchmark("GSM8K", ("gsm8k", "gsm-8k", "gsm 8k"), "free-form answer", None),
    # Hendrycks et al. 2021, arXiv:2103.03874.
    Benchmark("MATH", ("math-500", "math500"), "free-form answer", None),
    # Chen et al. 2021, arXiv:2107.03374: pass@k on generated code.
    Benchmark("HumanEval", ("humaneval", "human eval", "humaneval+"), "code generation", None),
    # Austin et al. 2021, arXiv:2108.07732.
    Benchmark("MBPP", ("mbpp", "mbpp+"), "code generation", None),
    # Suzgun et al. 2022, arXiv:2210.09261: mixed formats per task.
    Benchmark("BBH", ("bbh", "big-bench hard", "big bench hard"), "mixed", None),
    # Zhou et al. 2023, arXiv:2311.07911.
    Benchmark("IFEval", ("ifeval",), "instruction following", None),
    # Sprague et al. 2023, arXiv:2310.16049: mixed option counts.
    Benchmark("MuSR", ("musr",), "mixed", None),
    # Dua et al. 2019, arXiv:1903.00161: F1 on free-form spans.
    Benchmark("DROP", ("drop f1",), "free-form span", None),
    # Paperno et al. 2016, arXiv:1606.06031: predict the last word.
    Benchmark("LAMBADA", ("lambada",), "next word", None),
    # Zheng et al. 2023, arXiv:2306.05685: a 1-10 judge score.
    Benchmark("MT-Bench", ("mt-bench", "mt bench", "mtbench"), "judge score 1-10", None),
    # Dubois et al. 2024, github.com/tatsu-lab/alpaca_eval: win rate against a reference.
    Benchmark("AlpacaEval", ("alpacaeval", "alpaca eval", "alpaca-eval"), "win rate", None),
    # Jimenez et al. 2023, arXiv:2310.06770: resolved issues.
    Benchmark("SWE-bench", ("swe-bench", "swe bench", "swebench"), "task success", None),
    # Jain et al. 2024, arXiv:2403.07974.
    Benchmark("LiveCodeBench", ("livecodebench",), "code generation", None),
    # Yue et al. 2023, arXiv:2311.16502: mostly multiple choice with varying options.
    Benchmark("MMMU", ("mmmu",), "mixed", None),
    # Zhong et al. 2023, arXiv:2304.06364: mixed option counts.
    Benchmark("AGIEval", ("agieval",), "mixed", None),
    # Chollet 2019, arXiv:1911.01547: exact grid output.
    Benchmark("ARC-AGI", ("arc-agi", "arc agi"), "exact output", None),
)

BY_ALIAS: dict[str, Benchmark] = {alias: b for b in BENCHMARKS for alias in b.aliases}
BY_NAME: dict[str, Benchmark] = {b.name: b for b in BENCHMARKS}

# Scores this close to chance (in points) are read as "near chance".
NEAR_CHANCE_MARGIN = 5.0


def near_chance(benchmark: Benchmark, value: float) -> bool:
    """Whether ``value`` (percent) is within the margin of guessing on ``benchmark``."""
    if benchmark.chance is None:
        return False
    return abs(value - benchmark.chance) <= NEAR_CHANCE_MARGIN
