"""Statements and speaker attribution, in phrasings other than the seed articles'."""

from articles.extraction import extract_article
from articles.extraction.gazetteer import default_gazetteer
from articles.extraction.quotes import find_quote_spans, trimmed_content

GAZETTEER = default_gazetteer()


def statements(text):
    return [
        (s.speaker, s.text, s.partial)
        for s in extract_article(text, gazetteer=GAZETTEER).statements
    ]


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


def test_known_speaker_by_surname_and_pronoun():
    text = (
        "“Europe must carry more of the load,” Merz told lawmakers in Berlin.\n"
        "“Germany will lead by example,” he added."
    )
    assert statements(text) == [
        ("Friedrich Merz", "Europe must carry more of the load", False),
        ("Friedrich Merz", "Germany will lead by example", False),
    ]


def test_according_to_and_partial_fragment():
    text = (
        "Polish Prime Minister Donald Tusk wants a tougher line. According to Tusk, "
        "the alliance faces “the most dangerous decade since the Cold War” and must rearm."
    )
    assert statements(text) == [
        ("Donald Tusk", "the most dangerous decade since the Cold War", True),
    ]


def test_split_quote_and_continuation_in_paragraph():
    text = (
        "“We will meet our commitments,” Canadian Prime Minister Mark Carney said, "
        "“and we will do it faster than planned.” “No ally should be left behind.”"
    )
    assert statements(text) == [
        ("Mark Carney", "We will meet our commitments", False),
        ("Mark Carney", "and we will do it faster than planned", False),
        ("Mark Carney", "No ally should be left behind", False),
    ]


def test_quote_spanning_two_paragraphs():
    text = (
        "Swedish Prime Minister Ulf Kristersson addressed parliament.\n"
        "“We joined the alliance to make it stronger, not to ride along.\n"
        "“That means paying our share,” Kristersson said."
    )
    assert [s[0] for s in statements(text)] == ["Ulf Kristersson", "Ulf Kristersson"]


def test_guillemets_and_colon_introduction():
    text = "Macron was blunt. He said: «Europe has to defend itself now.»"
    assert statements(text) == [("Emmanuel Macron", "Europe has to defend itself now", False)]


def test_document_quote_and_unknown_speaker():
    text = (
        "“Deterrence is only credible if it is funded,” the report said.\n"
        "Stoltenberg wrote in his memoir that allies had been “far too slow to react.”"
    )
    assert statements(text) == [
        (None, "Deterrence is only credible if it is funded", False),
        ("Jens Stoltenberg", "far too slow to react", True),
    ]


def test_short_scare_quotes_are_left_out():
    assert statements("Critics called the plan a “fantasy” and “wishful thinking”.") == []


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


def test_said_on_and_wrote_on_are_attributions():
    text = (
        "“Our budget is not a bottomless well,” Finance Minister Lars Ekdahl said on Tuesday, "
        "“and everyone in Oslo knows it.”\n"
        "“Deterrence costs less than war, every single time,” Latvian Prime Minister "
        "Evika Silina wrote on social media."
    )
    assert statements(text) == [
        ("Lars Ekdahl", "Our budget is not a bottomless well", False),
        ("Lars Ekdahl", "and everyone in Oslo knows it", False),
        ("Evika Silina", "Deterrence costs less than war, every single time", False),
    ]


def test_pronoun_said_on_after_split_quote():
    text = (
        "Foreign Minister Anna Vogel sounded cautious. “We will do our part,” she said on "
        "Monday, “but not overnight.”"
    )
    assert statements(text) == [
        ("Anna Vogel", "We will do our part", False),
        ("Anna Vogel", "but not overnight", False),
    ]


def test_partial_quote_after_called_with_appositive():
    text = (
        "The opposition spokesman, Tomas Reyes, called the budget “a gamble with our "
        "security” on Wednesday. Mark Rutte, visiting troops in Latvia, described the move "
        "as “long overdue but very welcome” in a short statement."
    )
    assert statements(text) == [
        ("Tomas Reyes", "a gamble with our security", True),
        ("Mark Rutte", "long overdue but very welcome", True),
    ]


def test_partial_quote_after_set_out_and_told_that():
    text = (
        "Prime Minister Kaja Lind met unions in Vilnius. She also set out a plan for new "
        "brigades, “as soon as the money is there.”\n"
        "Senator Ruth Abbott told donors in Ohio that Europe would “finally pay its fair share” "
        "of the bill."
    )
    assert statements(text) == [
        ("Kaja Lind", "as soon as the money is there", True),
        ("Ruth Abbott", "finally pay its fair share", True),
    ]


def test_quote_without_cue_takes_subject_of_previous_sentence():
    text = (
        "Defence Secretary Paul Marsh then turned to the Baltic states. “Estonia shows "
        "what a serious ally looks like, and others should follow.”\n"
        "Nothing was said for a while. “This sentence has nobody to speak it.”"
    )
    assert statements(text) == [
        (
            "Paul Marsh",
            "Estonia shows what a serious ally looks like, and others should follow",
            False,
        ),
        (None, "This sentence has nobody to speak it", False),
    ]


def test_unnamed_attribution_is_not_replaced_by_earlier_subject():
    text = (
        "Chancellor Olaf Berg flies to Rome on Friday. “The chancellor will press for faster "
        "procurement,” a government spokeswoman said."
    )
    assert statements(text) == [(None, "The chancellor will press for faster procurement", False)]


def test_put_it_and_habitual_say_are_speech_cues():
    text = (
        "As Dutch analyst Marit Veenstra put it on Friday: “Budgets are promises, not tanks.”\n"
        "Greek envoy Nikos Dimas, speaking in Athens, put it differently, "
        "calling the plan “late but welcome” overall.\n"
        "Lena Brandt likes to say that “a drone is cheaper than a runway,” and she means it."
    )
    assert statements(text) == [
        ("Marit Veenstra", "Budgets are promises, not tanks", False),
        ("Nikos Dimas", "late but welcome", True),
        ("Lena Brandt", "a drone is cheaper than a runway", True),
    ]


def test_appositive_name_after_title_and_relative_clause_cue():
    text = (
        "Belgium's defence minister, Theo Francken, met reporters in Ghent.\n"
        "Francken, who has described the budget as “a down payment on security,” left early.\n"
        "Opposition leader Hanna Berg said the plan was “far too timid for these times”."
    )
    assert statements(text) == [
        ("Theo Francken", "a down payment on security", True),
        ("Hanna Berg", "far too timid for these times", True),
    ]


def test_speech_verb_after_a_coordinated_predicate():
    text = (
        "Finance Minister Ola Berg praised the deal and said it was “the least we could do”.\n"
        "Ingrid Holm criticised the timing but added that “nobody wants a cheaper army”."
    )
    assert statements(text) == [
        ("Ola Berg", "the least we could do", True),
        ("Ingrid Holm", "nobody wants a cheaper army", True),
    ]


def test_fact_check_claimant_line_names_the_speaker():
    text = (
        "THE CLAIM: “Half of the allies still spend nothing on drones.”\n"
        "Said by: Oskar Lind, a Swedish member of parliament, on a podcast.\n\n"
        "RATING: Misleading.\n"
        "Claim two: “Our army is the biggest in Europe.”\n"
        "Who made it: Romanian Defence Minister Ion Popa, on May 3."
    )
    assert statements(text) == [
        ("Oskar Lind", "Half of the allies still spend nothing on drones", False),
        ("Ion Popa", "Our army is the biggest in Europe", False),
    ]


def test_interview_label_makes_the_interviewee_the_topic_person():
    text = (
        "Latvia's president, Edgars Rinkēvičs, spoke to us in Riga.\n\n"
        "Q: Will the budget grow?\n\n"
        "Rinkēvičs: It must. There is no alternative.\n\n"
        "Asked about the border afterwards, he said: “The fence is only the first layer.”"
    )
    assert statements(text) == [
        ("Edgars Rinkēvičs", "The fence is only the first layer", False),
    ]


def test_pronoun_after_a_time_clause_naming_one_person():
    text = (
        "Defence Minister Anna Lind spoke at length.\n"
        "When I visited Dutch Prime Minister Dick Schoof he told me: “We pay our share now.”\n"
        "After the vote, she said: “This is only the beginning.”"
    )
    assert statements(text) == [
        ("Dick Schoof", "We pay our share now", False),
        ("Anna Lind", "This is only the beginning", False),
    ]


def test_headline_surname_resolves_to_the_full_name_given_later():
    text = (
        "Budget row deepens as Kristersson warns: “We cannot wait any longer”\n\n"
        "STOCKHOLM — Prime Minister Ulf Kristersson said on Monday that talks would continue."
    )
    assert statements(text) == [("Ulf Kristersson", "We cannot wait any longer", False)]


def test_quote_closing_its_sentence_belongs_to_the_cue_before_it():
    text = (
        "The host, Polish President Andrzej Duda, said the deal showed “a Europe that finally "
        "takes its defence seriously.” French President Emmanuel Macron said France would "
        "follow “at its own pace,” officials added."
    )
    assert statements(text) == [
        ("Andrzej Duda", "a Europe that finally takes its defence seriously", True),
        ("Emmanuel Macron", "at its own pace", True),
    ]


def test_unnamed_official_does_not_inherit_the_previous_speaker():
    text = (
        "“We will do our share,” Foreign Minister Elina Valtonen said. A senior official, who "
        "was not authorised to speak, put it differently: “Nobody expects miracles from us.”"
    )
    assert statements(text) == [
        ("Elina Valtonen", "We will do our share", False),
        (None, "Nobody expects miracles from us", False),
    ]


def test_speaker_with_initials():
    text = "Later, J.D. Vance said Europe “must pay for its own defence.” JD Vance repeated it."
    assert statements(text) == [("J.D. Vance", "must pay for its own defence", True)]


def test_capitalised_transcript_labels_name_the_speaker():
    text = (
        "Prime Minister Kristen Michal spoke to reporters in Tallinn.\n\n"
        'Q: "Will Estonia reach 5% next year?"\n\n'
        'MICHAL: "We will be above five percent, and we will stay there."'
    )
    assert statements(text) == [
        (None, "Will Estonia reach 5% next year?", False),
        ("Kristen Michal", "We will be above five percent, and we will stay there", False),
    ]


def test_unnamed_spokeswoman_is_not_the_last_named_person():
    text = (
        "Minister Hanno Pevkur said the plan was sound. The shipyard expects more orders, "
        "a spokeswoman said. “We are hiring welders and engineers this year,” she said."
    )
    assert statements(text)[-1] == (None, "We are hiring welders and engineers this year", False)


def test_a_name_opening_a_sentence_becomes_the_he_of_the_next_quote():
    text = (
        "Defence Minister Guido Crosetto defended the plan. Analyst Marco Bianchi doubted it, "
        "saying “the numbers are creative.”\n\nCrosetto rejects that. “Every euro counts "
        "for our security,” he said."
    )
    assert statements(text)[-1] == ("Guido Crosetto", "Every euro counts for our security", False)


def test_first_person_of_an_op_ed_is_its_byline_author():
    text = (
        "Opinion | Why we spend more\n\nBy Kaja Kallas\n\n"
        "As I told the parliament last year, “Deterrence is cheaper than war.”"
    )
    assert statements(text) == [("Kaja Kallas", "Deterrence is cheaper than war", False)]


def test_a_party_is_not_a_speaker_and_its_member_is():
    text = (
        "Anna Lindqvist of the Social Democratic Party said the budget was too small. "
        "“We need more money for defence,” she said."
    )
    assert statements(text) == [("Anna Lindqvist", "We need more money for defence", False)]


def test_a_title_does_not_reach_back_into_the_previous_sentence():
    text = (
        "Leaders meet in The Hague in June. Secretary General Mark Rutte has suggested allies "
        "must spend “considerably more than 3 percent”, officials say."
    )
    assert statements(text) == [("Mark Rutte", "considerably more than 3 percent", True)]


def test_an_appositive_subject_is_the_she_of_the_next_quote():
    text = (
        "Sarah Champion said cuts were “a false economy for everyone.”\n\n"
        "In a letter, the development minister, Anneliese Dodds, had already signalled unease. "
        "“We must be honest about the consequences,” she wrote."
    )
    assert statements(text)[-1] == (
        "Anneliese Dodds",
        "We must be honest about the consequences",
        False,
    )


def test_a_participle_of_speech_after_the_agents_clause():
    text = (
        "Trump sent mixed signals on Article 5, telling reporters that it “depends on your "
        "definition” of the clause."
    )
    assert statements(text) == [("Donald Trump", "depends on your definition", True)]
