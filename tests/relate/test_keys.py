"""Story keys: artefacts an item is about, round-ups, titles and near-duplicate text."""

from highsignal.extract import extract
from highsignal.records import Item
from highsignal.relate.keys import MIN_WORDS, relation, signature, similarity, title_key

# A paragraph cut from the Mistral 7B announcement (mistral.ai/news/announcing-mistral-7b, 2023-09-27).
MISTRAL = (
    "Mistral 7B is a 7.3B parameter model that outperforms Llama 2 13B on all benchmarks, outperforms Llama 1 "
    "34B on many benchmarks, approaches CodeLlama 7B performance on code, while remaining good at English tasks. "
    "It uses Grouped-query attention for faster inference and Sliding Window Attention to handle longer "
    "sequences at smaller cost. We are releasing Mistral 7B under the Apache 2.0 license, it can be used without "
    "restrictions. Download it and use it anywhere (including locally) with our reference implementation."
)


def _item(title, text, links=(), url=None):
    return Item(key=title, title=title, text=text, links=list(links), url=url, content_hash=title)


def test_artefact_keys_join_on_the_thing_not_the_url_spelling():
    a = _item("A", "weights", ["https://huggingface.co/mistralai/Mistral-7B-v0.1/tree/main"])
    b = _item("B", "see arXiv:2310.06825 and https://huggingface.co/mistralai/Mistral-7B-v0.1")
    c = _item("C", "paper https://arxiv.org/pdf/2310.06825v1")
    ka, kb, kc = (set(relation(i, extract(i)).keys) for i in (a, b, c))
    assert "a:model:mistralai/mistral-7b-v0.1" in ka & kb
    assert "a:paper:2310.06825" in kb & kc


def test_a_round_up_points_at_artefacts_without_being_about_them():
    links = [f"https://github.com/org/repo{i}" for i in range(8)]
    item = _item("This week in AI", "links galore", links)
    keys = relation(item, extract(item)).keys
    assert not [k for k in keys if k.startswith("a:")]
    assert "l:code:org/repo3" in keys


def test_title_key_ignores_case_punctuation_and_filler_but_needs_substance():
    assert title_key("Announcing Mistral 7B: the best 7B model!") == title_key("announcing mistral 7b — best 7b model")
    assert title_key("News") is None


def test_near_duplicates_score_high_and_different_texts_low():
    copy = MISTRAL.replace("It uses", "The model uses").replace("anywhere", "everywhere")
    other = (
        "Phi-2 is a 2.7 billion-parameter language model that demonstrates outstanding reasoning and language "
        "understanding capabilities, showcasing state-of-the-art performance among base language models with "
        "less than 13 billion parameters. On complex benchmarks Phi-2 matches or outperforms models up to 25x "
        "larger, thanks to new innovations in model scaling and training data curation."
    )
    a, b, c = signature(MISTRAL), signature(copy), signature(other)
    assert similarity(a.tobytes(), b.tobytes()) >= 0.6
    assert similarity(a.tobytes(), c.tobytes()) < 0.2


def test_short_texts_get_no_signature():
    assert signature(" ".join(["word"] * (MIN_WORDS - 1))) is None


def test_same_text_same_bands_across_calls():
    item = _item("Mistral 7B", MISTRAL)
    k1 = [k for k in relation(item, extract(item)).keys if k.startswith("m")]
    k2 = [k for k in relation(item, extract(item)).keys if k.startswith("m")]
    assert k1 == k2 and len(k1) == 16
