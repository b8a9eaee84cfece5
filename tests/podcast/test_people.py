"""Who is on an episode (tags, titles, transcripts) and the person index across shows.

Titles marked "seed 002" are episode titles of Latent Space: The AI Engineer
Podcast as listed on its podcast-directory page; the rest are written for the
test, each for one pattern or one false positive.
"""

from __future__ import annotations

import pytest

from highsignal.podcast.people import (
    Appearance,
    looks_like_person,
    people_for_episode,
    person_index,
    person_key,
    title_guests,
)
from highsignal.records import FeedMeta, Item, Person, TranscriptSegment


def guests(title: str, show: str | None = None) -> list[tuple[str, str | None]]:
    return [(a.name, a.org) for a in title_guests(title, show)]


# ---------------------------------------------------------------------------
# Keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dr. Lex Fridman", "lex fridman"),
        ("Timothée Darcet", "Timothee  DARCET"),
        ("Prof. Dr. Jürgen Schmidhuber", "Jurgen Schmidhuber"),
        ("Lex Fridman, Ph.D.", "Lex Fridman"),
        ("J.R.R. Tolkien", "J. R. R. Tolkien"),
        ("Karan  Malhotra\n", "karan malhotra"),
    ],
)
def test_person_key_folds_spellings_of_one_name(a: str, b: str) -> None:
    assert person_key(a) == person_key(b) != ""


def test_person_key_keeps_different_people_apart() -> None:
    assert person_key("Mark Huang") != person_key("Mark Hung")
    assert person_key("Dr.") == ""


@pytest.mark.parametrize("name", ["Nicholas Carlini", "Yann LeCun", "Jean-Luc Picard", "Ursula von der Leyen"])
def test_names_that_look_like_people(name: str) -> None:
    assert looks_like_person(name)


@pytest.mark.parametrize(
    "name",
    [
        "GPT-4",
        "Code",
        "the team",
        "NSFW Chatbots",
        "Claude Code",
        "Code Llama",
        "Hugging Face",
        "Google DeepMind",
        "swyx",
        "Final Thoughts",
        "Open Source",
        "J. R.",
        "Sam Altman 2",
    ],
)
def test_things_that_are_not_people(name: str) -> None:
    assert not looks_like_person(name)


# ---------------------------------------------------------------------------
# Titles


def test_with_name_comma_org() -> None:
    # Seed 002.
    title = "Why you should write your own LLM benchmarks — with Nicholas Carlini, Google DeepMind"
    assert guests(title) == [("Nicholas Carlini", "Google DeepMind")]


def test_two_guests_share_one_org() -> None:
    # Seed 002.
    assert guests("How To Hire AI Engineers — with James Brady & Adam Wiggins of Elicit") == [
        ("James Brady", "Elicit"),
        ("Adam Wiggins", "Elicit"),
    ]


def test_each_guest_their_own_org() -> None:
    # Seed 002.
    title = (
        "WebSim, WorldSim, and The Summer of Simulative AI — with Joscha Bach of Liquid AI, Karan Malhotra of "
        "Nous Research, Rob Haisfield of WebSim.ai"
    )
    assert guests(title) == [
        ("Joscha Bach", "Liquid AI"),
        ("Karan Malhotra", "Nous Research"),
        ("Rob Haisfield", "WebSim.ai"),
    ]


def test_ft_list_with_a_stray_bracket() -> None:
    # Seed 002: the title really ends in an unmatched ")".
    title = (
        "ICLR 2024 — Best Papers & Talks (Benchmarks, Reasoning & Agents) — ft. Graham Neubig, Aman Sanger, "
        "Moritz Hardt)"
    )
    assert guests(title) == [("Graham Neubig", None), ("Aman Sanger", None), ("Moritz Hardt", None)]


def test_ft_without_separator() -> None:
    # Seed 002.
    title = (
        "ICLR 2024 — Best Papers & Talks (ImageGen, Vision, Transformers, State Space Models) ft. Durk Kingma, "
        "Christian Szegedy, Ilya Sutskever"
    )
    assert [n for n, _ in guests(title)] == ["Durk Kingma", "Christian Szegedy", "Ilya Sutskever"]


def test_running_text_with_is_not_a_guest_but_dash_with_is() -> None:
    # Seed 002: "with NSFW Chatbots" is the topic, "- with Jesse Silver" the guest.
    assert guests("Emulating Humans with NSFW Chatbots - with Jesse Silver") == [("Jesse Silver", None)]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Scaling laws with Jared Kaplan (Anthropic)", [("Jared Kaplan", "Anthropic")]),
        ("Interview with Yann LeCun", [("Yann LeCun", None)]),
        ("A conversation with Fei-Fei Li", [("Fei-Fei Li", None)]),
        ("Open models in 2025, featuring Nathan Lambert", [("Nathan Lambert", None)]),
        ("Nathan Lambert on RLHF and open models", [("Nathan Lambert", None)]),
        ("Deep dive with Andrej Karpathy on Software 2.0", [("Andrej Karpathy", None)]),
        ("Machines, Creativity & Love | Dr. Lex Fridman", [("Dr. Lex Fridman", None)]),
        ("The state of AI hardware | Dylan Patel, SemiAnalysis", [("Dylan Patel", "SemiAnalysis")]),
        ("Inference at scale (Part 2) — with Mark Huang of Gradient.ai", [("Mark Huang", "Gradient.ai")]),
        ("Realtime voice agents (Live) — with Russ d'Sa (LiveKit)", [("Russ d'Sa", "LiveKit")]),
    ],
)
def test_title_patterns(title: str, expected: list[tuple[str, str | None]]) -> None:
    assert guests(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Fine-tuning with GPT-4",
        "Pair programming with Code",
        "Shipping agents with the team",
        "Building agents with Claude Code",
        "Talking Llama 3 with Code Llama",
        "Chatting with Hugging Face (HF)",
        "ft. swyx and friends",
        "Final Thoughts on AGI",
        "Open Source on the Edge",
        "Episode 12 | Latent Space",
        # Seed 002 and seed 003 (Interconnects): titles that name no one.
        "[High Agency] AI Engineer World's Fair Preview",
        "Let me use my local LMs on Meta Ray-Bans",
        "(Voiceover) DeepSeek V3 and the actual cost of training frontier AI models",
    ],
)
def test_titles_that_name_no_one(title: str) -> None:
    assert guests(title) == []


def test_show_name_after_a_pipe_is_not_a_guest() -> None:
    assert guests("Sam Altman's bet | Hard Fork", show="Hard Fork") == []


# ---------------------------------------------------------------------------
# One episode


def test_item_tags_channel_hosts_title_and_transcript_merge() -> None:
    show = FeedMeta(
        title="Latent Space: The AI Engineer Podcast",
        persons=[Person("swyx", role="host"), Person("Alessio Fanelli", role="co-host"), Person("Jo", role="producer")],
    )
    item = Item(
        key="k",
        title="Why you should write your own LLM benchmarks — with Nicholas Carlini, Google DeepMind",
        persons=[Person("Nicholas Carlini", role="guest")],
        transcript=[
            TranscriptSegment(0.0, "Hey everyone.", speaker="Alessio"),
            TranscriptSegment(5.0, "Thanks for having me.", speaker="Nicholas"),
            TranscriptSegment(9.0, "So.", speaker="SPEAKER_02"),
            TranscriptSegment(12.0, "[music]", speaker="Host"),
        ],
    )
    people = people_for_episode(item, show)
    assert people == [
        # The item's tag, with the organisation the title adds.
        Appearance("Nicholas Carlini", "guest", "podcast:person", "Google DeepMind"),
        # The show's hosts are on every episode; its producer is not listed per episode.
        Appearance("swyx", "host", "podcast:person"),
        Appearance("Alessio Fanelli", "host", "podcast:person"),
    ]


def test_transcript_speakers_stand_alone_without_tags() -> None:
    # Seed 002 transcript labels ("AI Charlie", "Nicholas").
    item = Item(
        key="k",
        title="episode",
        transcript=[
            TranscriptSegment(29.0, "Happy September.", speaker="AI Charlie"),
            TranscriptSegment(40.0, "Yeah.", speaker="Nicholas"),
            TranscriptSegment(41.0, "Right.", speaker="Speaker 1"),
        ],
    )
    assert people_for_episode(item, None) == [
        Appearance("AI Charlie", "speaker", "transcript"),
        Appearance("Nicholas", "speaker", "transcript"),
    ]


def test_tag_roles() -> None:
    item = Item(
        key="k",
        persons=[Person("Ann Lee"), Person("Bo Chen", role="Guest"), Person("Cy Dunn", role="Audio Editor")],
    )
    assert [(a.name, a.role) for a in people_for_episode(item, None)] == [
        ("Ann Lee", "host"),  # the namespace's default role
        ("Bo Chen", "guest"),
        ("Cy Dunn", "other"),
    ]


# ---------------------------------------------------------------------------
# Across shows


def test_person_index_joins_spellings_across_shows() -> None:
    shows = {
        1: FeedMeta(title="Latent Space", persons=[Person("swyx", role="host")]),
        2: FeedMeta(title="Interconnects"),
    }
    episodes = [
        (10, 1, Item(key="a", title="Own LLM benchmarks — with Nicholas Carlini, Google DeepMind")),
        (11, 2, Item(key="b", title="Attacking models | Dr. Nicholas Carlini")),
        (12, 2, Item(key="c", title="Interview with Nicholas  Carlini")),
        (
            13,
            2,
            Item(key="d", title="Notes", transcript=[TranscriptSegment(0.0, "Hi.", speaker="Nathan")]),
        ),
    ]
    index = person_index(episodes, shows)
    carlini = index["nicholas carlini"]
    assert carlini.name == "Nicholas Carlini"
    assert carlini.episodes == [10, 11, 12]
    assert carlini.shows == [1, 2]
    assert carlini.roles == ["guest"]
    assert carlini.orgs == ["Google DeepMind"]
    # The channel's host tag is a person on purpose, single word or not.
    assert index["swyx"].roles == ["host"] and index["swyx"].episodes == [10]
    # A first name alone from a transcript would join strangers across shows.
    assert "nathan" not in index


def test_person_index_roles_ordered_and_most_used_spelling() -> None:
    shows = {1: FeedMeta(title="A"), 2: FeedMeta(title="B")}
    episodes = [
        (1, 1, Item(key="a", persons=[Person("Timothée Darcet", role="guest")])),
        (2, 2, Item(key="b", persons=[Person("Timothee Darcet", role="host")])),
        (3, 2, Item(key="c", persons=[Person("Timothée Darcet", role="guest")])),
    ]
    entry = person_index(episodes, shows)["timothee darcet"]
    assert entry.name == "Timothée Darcet"
    assert entry.roles == ["host", "guest"]
    assert entry.shows == [1, 2]
