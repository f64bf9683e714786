"""Statements and speaker attribution, in phrasings other than the seed articles'."""

import pytest

from articles.extraction import extract_article
from articles.extraction.gazetteer import default_gazetteer
from articles.extraction.quotes import find_quote_spans, trimmed_content

GAZETTEER = default_gazetteer()


def statements(text):
    return [
        (s.speaker, s.text, s.partial)
        for s in extract_article(text, gazetteer=GAZETTEER).statements
    ]


# Each row: a text, then every statement found in it as (speaker, text, partial).
STATEMENTS = [
    pytest.param(
        "“Europe must carry more of the load,” Merz told lawmakers in Berlin.\n"
        "“Germany will lead by example,” he added.",
        [
            ("Friedrich Merz", "Europe must carry more of the load", False),
            ("Friedrich Merz", "Germany will lead by example", False),
        ],
        id="known_speaker_by_surname_and_pronoun",
    ),
    pytest.param(
        "Polish Prime Minister Donald Tusk wants a tougher line. According to Tusk, "
        "the alliance faces “the most dangerous decade since the Cold War” and must rearm.",
        [
            ("Donald Tusk", "the most dangerous decade since the Cold War", True),
        ],
        id="according_to_and_partial_fragment",
    ),
    pytest.param(
        "“We will meet our commitments,” Canadian Prime Minister Mark Carney said, "
        "“and we will do it faster than planned.” “No ally should be left behind.”",
        [
            ("Mark Carney", "We will meet our commitments", False),
            ("Mark Carney", "and we will do it faster than planned", False),
            ("Mark Carney", "No ally should be left behind", False),
        ],
        id="split_quote_and_continuation_in_paragraph",
    ),
    pytest.param(
        "Macron was blunt. He said: «Europe has to defend itself now.»",
        [("Emmanuel Macron", "Europe has to defend itself now", False)],
        id="guillemets_and_colon_introduction",
    ),
    pytest.param(
        "“Deterrence is only credible if it is funded,” the report said.\n"
        "Stoltenberg wrote in his memoir that allies had been “far too slow to react.”",
        [
            (None, "Deterrence is only credible if it is funded", False),
            ("Jens Stoltenberg", "far too slow to react", True),
        ],
        id="document_quote_and_unknown_speaker",
    ),
    pytest.param(
        "Critics called the plan a “fantasy” and “wishful thinking”.",
        [],
        id="short_scare_quotes_are_left_out",
    ),
    pytest.param(
        "“Our budget is not a bottomless well,” Finance Minister Lars Ekdahl said on Tuesday, "
        "“and everyone in Oslo knows it.”\n"
        "“Deterrence costs less than war, every single time,” Latvian Prime Minister "
        "Evika Silina wrote on social media.",
        [
            ("Lars Ekdahl", "Our budget is not a bottomless well", False),
            ("Lars Ekdahl", "and everyone in Oslo knows it", False),
            ("Evika Silina", "Deterrence costs less than war, every single time", False),
        ],
        id="said_on_and_wrote_on_are_attributions",
    ),
    pytest.param(
        "Foreign Minister Anna Vogel sounded cautious. “We will do our part,” she said on "
        "Monday, “but not overnight.”",
        [
            ("Anna Vogel", "We will do our part", False),
            ("Anna Vogel", "but not overnight", False),
        ],
        id="pronoun_said_on_after_split_quote",
    ),
    pytest.param(
        "The opposition spokesman, Tomas Reyes, called the budget “a gamble with our "
        "security” on Wednesday. Mark Rutte, visiting troops in Latvia, described the move "
        "as “long overdue but very welcome” in a short statement.",
        [
            ("Tomas Reyes", "a gamble with our security", True),
            ("Mark Rutte", "long overdue but very welcome", True),
        ],
        id="partial_quote_after_called_with_appositive",
    ),
    pytest.param(
        "Prime Minister Kaja Lind met unions in Vilnius. She also set out a plan for new "
        "brigades, “as soon as the money is there.”\n"
        "Senator Ruth Abbott told donors in Ohio that Europe would “finally pay its fair share” "
        "of the bill.",
        [
            ("Kaja Lind", "as soon as the money is there", True),
            ("Ruth Abbott", "finally pay its fair share", True),
        ],
        id="partial_quote_after_set_out_and_told_that",
    ),
    pytest.param(
        "Defence Secretary Paul Marsh then turned to the Baltic states. “Estonia shows "
        "what a serious ally looks like, and others should follow.”\n"
        "Nothing was said for a while. “This sentence has nobody to speak it.”",
        [
            (
                "Paul Marsh",
                "Estonia shows what a serious ally looks like, and others should follow",
                False,
            ),
            (None, "This sentence has nobody to speak it", False),
        ],
        id="quote_without_cue_takes_subject_of_previous_sentence",
    ),
    pytest.param(
        "Chancellor Olaf Berg flies to Rome on Friday. “The chancellor will press for faster "
        "procurement,” a government spokeswoman said.",
        [(None, "The chancellor will press for faster procurement", False)],
        id="unnamed_attribution_is_not_replaced_by_earlier_subject",
    ),
    pytest.param(
        "As Dutch analyst Marit Veenstra put it on Friday: “Budgets are promises, not tanks.”\n"
        "Greek envoy Nikos Dimas, speaking in Athens, put it differently, "
        "calling the plan “late but welcome” overall.\n"
        "Lena Brandt likes to say that “a drone is cheaper than a runway,” and she means it.",
        [
            ("Marit Veenstra", "Budgets are promises, not tanks", False),
            ("Nikos Dimas", "late but welcome", True),
            ("Lena Brandt", "a drone is cheaper than a runway", True),
        ],
        id="put_it_and_habitual_say_are_speech_cues",
    ),
    pytest.param(
        "Belgium's defence minister, Theo Francken, met reporters in Ghent.\n"
        "Francken, who has described the budget as “a down payment on security,” left early.\n"
        "Opposition leader Hanna Berg said the plan was “far too timid for these times”.",
        [
            ("Theo Francken", "a down payment on security", True),
            ("Hanna Berg", "far too timid for these times", True),
        ],
        id="appositive_name_after_title_and_relative_clause_cue",
    ),
    pytest.param(
        "Finance Minister Ola Berg praised the deal and said it was “the least we could do”.\n"
        "Ingrid Holm criticised the timing but added that “nobody wants a cheaper army”.",
        [
            ("Ola Berg", "the least we could do", True),
            ("Ingrid Holm", "nobody wants a cheaper army", True),
        ],
        id="speech_verb_after_a_coordinated_predicate",
    ),
    pytest.param(
        "THE CLAIM: “Half of the allies still spend nothing on drones.”\n"
        "Said by: Oskar Lind, a Swedish member of parliament, on a podcast.\n\n"
        "RATING: Misleading.\n"
        "Claim two: “Our army is the biggest in Europe.”\n"
        "Who made it: Romanian Defence Minister Ion Popa, on May 3.",
        [
            ("Oskar Lind", "Half of the allies still spend nothing on drones", False),
            ("Ion Popa", "Our army is the biggest in Europe", False),
        ],
        id="fact_check_claimant_line_names_the_speaker",
    ),
    pytest.param(
        "Latvia's president, Edgars Rinkēvičs, spoke to us in Riga.\n\n"
        "Q: Will the budget grow?\n\n"
        "Rinkēvičs: It must. There is no alternative.\n\n"
        "Asked about the border afterwards, he said: “The fence is only the first layer.”",
        [
            ("Edgars Rinkēvičs", "The fence is only the first layer", False),
        ],
        id="interview_label_makes_the_interviewee_the_topic_person",
    ),
    pytest.param(
        "Defence Minister Anna Lind spoke at length.\n"
        "When I visited Dutch Prime Minister Dick Schoof he told me: “We pay our share now.”\n"
        "After the vote, she said: “This is only the beginning.”",
        [
            ("Dick Schoof", "We pay our share now", False),
            ("Anna Lind", "This is only the beginning", False),
        ],
        id="pronoun_after_a_time_clause_naming_one_person",
    ),
    pytest.param(
        "Budget row deepens as Kristersson warns: “We cannot wait any longer”\n\n"
        "STOCKHOLM — Prime Minister Ulf Kristersson said on Monday that talks would continue.",
        [("Ulf Kristersson", "We cannot wait any longer", False)],
        id="headline_surname_resolves_to_the_full_name_given_later",
    ),
    pytest.param(
        "The host, Polish President Andrzej Duda, said the deal showed “a Europe that finally "
        "takes its defence seriously.” French President Emmanuel Macron said France would "
        "follow “at its own pace,” officials added.",
        [
            ("Andrzej Duda", "a Europe that finally takes its defence seriously", True),
            ("Emmanuel Macron", "at its own pace", True),
        ],
        id="quote_closing_its_sentence_belongs_to_the_cue_before_it",
    ),
    pytest.param(
        "“We will do our share,” Foreign Minister Elina Valtonen said. A senior official, who "
        "was not authorised to speak, put it differently: “Nobody expects miracles from us.”",
        [
            ("Elina Valtonen", "We will do our share", False),
            (None, "Nobody expects miracles from us", False),
        ],
        id="unnamed_official_does_not_inherit_the_previous_speaker",
    ),
    pytest.param(
        "Later, J.D. Vance said Europe “must pay for its own defence.” JD Vance repeated it.",
        [("J.D. Vance", "must pay for its own defence", True)],
        id="speaker_with_initials",
    ),
    pytest.param(
        "Prime Minister Kristen Michal spoke to reporters in Tallinn.\n\n"
        'Q: "Will Estonia reach 5% next year?"\n\n'
        'MICHAL: "We will be above five percent, and we will stay there."',
        [
            (None, "Will Estonia reach 5% next year?", False),
            ("Kristen Michal", "We will be above five percent, and we will stay there", False),
        ],
        id="capitalised_transcript_labels_name_the_speaker",
    ),
    pytest.param(
        "Opinion | Why we spend more\n\nBy Kaja Kallas\n\n"
        "As I told the parliament last year, “Deterrence is cheaper than war.”",
        [("Kaja Kallas", "Deterrence is cheaper than war", False)],
        id="first_person_of_an_op_ed_is_its_byline_author",
    ),
    pytest.param(
        "Anna Lindqvist of the Social Democratic Party said the budget was too small. "
        "“We need more money for defence,” she said.",
        [("Anna Lindqvist", "We need more money for defence", False)],
        id="a_party_is_not_a_speaker_and_its_member_is",
    ),
    pytest.param(
        "Leaders meet in The Hague in June. Secretary General Mark Rutte has suggested allies "
        "must spend “considerably more than 3 percent”, officials say.",
        [("Mark Rutte", "considerably more than 3 percent", True)],
        id="a_title_does_not_reach_back_into_the_previous_sentence",
    ),
    pytest.param(
        "Trump sent mixed signals on Article 5, telling reporters that it “depends on your "
        "definition” of the clause.",
        [("Donald Trump", "depends on your definition", True)],
        id="a_participle_of_speech_after_the_agents_clause",
    ),
]


@pytest.mark.parametrize(("text", "expected"), STATEMENTS)
def test_statements_found(text, expected):
    assert statements(text) == expected


# Each row: a text, then the last statement found in it.
LAST_STATEMENT = [
    pytest.param(
        "Minister Hanno Pevkur said the plan was sound. The shipyard expects more orders, "
        "a spokeswoman said. “We are hiring welders and engineers this year,” she said.",
        (None, "We are hiring welders and engineers this year", False),
        id="unnamed_spokeswoman_is_not_the_last_named_person",
    ),
    pytest.param(
        "Defence Minister Guido Crosetto defended the plan. Analyst Marco Bianchi doubted it, "
        "saying “the numbers are creative.”\n\nCrosetto rejects that. “Every euro counts "
        "for our security,” he said.",
        ("Guido Crosetto", "Every euro counts for our security", False),
        id="a_name_opening_a_sentence_becomes_the_he_of_the_next_quote",
    ),
    pytest.param(
        "Sarah Champion said cuts were “a false economy for everyone.”\n\n"
        "In a letter, the development minister, Anneliese Dodds, had already signalled unease. "
        "“We must be honest about the consequences,” she wrote.",
        (
            "Anneliese Dodds",
            "We must be honest about the consequences",
            False,
        ),
        id="an_appositive_subject_is_the_she_of_the_next_quote",
    ),
]


@pytest.mark.parametrize(("text", "expected"), LAST_STATEMENT)
def test_last_statement_found(text, expected):
    assert statements(text)[-1] == expected


def test_said_the_minister_after_quote_and_role_from_title():
    text = (
        "Estonian Defence Minister Hanno Pevkur spoke in Tallinn.\n"
        '"We cannot wait for the next crisis," said Pevkur.'
    )
    result = extract_article(text, gazetteer=GAZETTEER)
    (statement,) = result.statements
    assert statement.speaker == "Hanno Pevkur"
    assert statement.speaker_role == "Estonian Defence Minister"
    assert statement.text == "We cannot wait for the next crisis"
    assert text[statement.start : statement.end] == statement.text
    assert not statement.partial


def test_quote_spanning_two_paragraphs():
    text = (
        "Swedish Prime Minister Ulf Kristersson addressed parliament.\n"
        "“We joined the alliance to make it stronger, not to ride along.\n"
        "“That means paying our share,” Kristersson said."
    )
    assert [s[0] for s in statements(text)] == ["Ulf Kristersson", "Ulf Kristersson"]


def test_unbalanced_quotes_and_apostrophes_do_not_break():
    text = (
        "It\u2019s Rutte\u2019s “big test, he said. "
        "Allies\u2019 budgets “are rising fast,” Rutte said."
    )
    assert ("Mark Rutte", "are rising fast", True) in statements(text)


def test_quote_spans_and_trimming():
    text = 'He said "one two three. " then left.'
    (span,) = find_quote_spans(text)
    assert trimmed_content(text, span)[0] == "one two three"


def test_speakers_list_carries_roles_and_aliases():
    text = (
        "NATO Secretary General Mark Rutte arrived early. “We are ready,” Rutte said. "
        "“Absolutely ready for it,” he added."
    )
    result = extract_article(text, gazetteer=GAZETTEER)
    (speaker,) = result.speakers
    assert speaker.name == "Mark Rutte"
    assert speaker.role == "NATO Secretary General"
    assert "Rutte" in speaker.aliases
