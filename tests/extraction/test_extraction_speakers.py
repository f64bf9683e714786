"""Speaker attribution: the article's chain of people, surnames, objects, ambiguity.

Every sentence here is written for the test (none is from PolNeAR dev): each row is a rule
of ``articles/extraction/people.py`` or ``quotes.py`` with an example it must get right.
"""

from __future__ import annotations

import pytest

from articles.extraction import extract_article
from articles.extraction.gazetteer import default_gazetteer
from articles.extraction.lexicon import SPEECH_VERB, inflections

GAZETTEER = default_gazetteer()
FILLER = "The committee met again later in the week to discuss the budget in detail. " * 7


def speakers(text: str) -> list[str | None]:
    return [s.speaker for s in extract_article(text, gazetteer=GAZETTEER).statements]


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("say", ("say", "says", "said", "saying")),
        ("point out", ("points out", "pointed out", "pointing out")),
        ("admit", ("admits", "admitted", "admitting")),
        ("reply", ("replies", "replied", "replying")),
        ("echo", ("echoes", "echoed", "echoing")),
        ("argue", ("argues", "argued", "arguing")),
        ("shoot back", ("shoots back", "shot back", "shooting back")),
        ("state", ("stated", "stating")),
    ],
)
def test_reporting_verbs_are_inflected_from_their_lemma(lemma, forms):
    assert inflections(lemma) == forms


def test_the_speech_verb_pattern_holds_generated_forms_and_not_the_noun_states():
    import regex

    pattern = regex.compile(rf"\b{SPEECH_VERB}")
    assert pattern.fullmatch("interjected") and pattern.fullmatch("shot back")
    assert pattern.fullmatch("states") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A full name introduced in any sentence gives the surname used later.
        (
            'Carly Fiorina ran the company for six years.\n\n"The merger was the best option'
            ' for us," Fiorina said.',
            ["Carly Fiorina"],
        ),
        # A surname never introduced, never written in lower case: a person.
        ('"We will appeal this decision in the coming days," Husted said.', ["Husted"]),
        # A word opening a sentence, written in lower case elsewhere, is not a first name.
        (
            "Jared Roe teaches history and says he will see it through.\n(See Roe's video"
            ' below.)\n"It was a strange night for all of us," Roe said.',
            ["Jared Roe"],
        ),
        # Sentence words before a name are cut off.
        ('Then Ed Davey said: "Cutting aid to the poorest is wrong."', ["Ed Davey"]),
        # The object of a reporting verb is not its speaker.
        (
            'Calling Baltic budgets "impressive, but not enough on their own," the report'
            " asked for more.",
            [None],
        ),
        # A lone word opening a sentence before a comma is an adverb, not a surname.
        (
            'Overnight, Hassan sent mixed signals, telling reporters that it "depends on your'
            ' definition of it."',
            ["Hassan"],
        ),
        # A US state's name is a place, not a person.
        (
            "Stacy Roe of Lakeview, South Carolina says she thinks Berrin can win if he keeps"
            " \u201cdoing what he is doing.\u201d",
            ["Stacy Roe"],
        ),
        # Countries and places are never people.
        (
            'The United States said on Monday that "the goal is deterrence and peace through'
            ' strength."',
            [None],
        ),
        # Two people share a surname: left for the editor unless one was just named.
        (
            "Boris Johnson met Mike Johnson in London on Monday.\n\n"
            + FILLER
            + '\n\n"We have a deal on the table now," Johnson said.',
            [None],
        ),
        (
            "Boris Johnson met Mike Johnson in London on Monday.\n\n"
            + FILLER
            + '\n\nMike Johnson arrived late. "We have a deal on the table now," Johnson said.',
            ["Mike Johnson"],
        ),
        # One person named in full and by a longer form is one person, not two Butzes.
        (
            "Norbert Leo Butz sang first. Leo Butz then spoke.\n\n"
            + FILLER
            + '\n\n"It was the best night of my life," Butz said.',
            ["Norbert Leo Butz"],
        ),
        # A short first name and its long form are one person ("Ken", "Kenneth").
        (
            "Kenneth Marlow chairs the audit panel.\n\n"
            + FILLER
            + '\n\nKen Marlow disagreed. "The numbers simply do not add up," Marlow said.',
            ["Kenneth Marlow"],
        ),
        # ... and so are a nickname and the full first name ("Tom", "Thomas").
        (
            "Thomas Ruiz chairs the audit panel.\n\n"
            + FILLER
            + '\n\nTom Ruiz disagreed. "The numbers simply do not add up," Ruiz said.',
            ["Thomas Ruiz"],
        ),
        # Different words before one name are titles, not two people.
        (
            "DJ Carla Voss opened the night.\n\n"
            + FILLER
            + '\n\nFounder Carla Voss thanked the crowd. "We built this for you," Voss said.',
            ["DJ Carla Voss"],
        ),
        # A title-case headline's capitalised runs are not names ("Says Defiant Ostrova").
        (
            "Housing Cuts Are Cruel and Wrong, Says Defiant Ostrova\n\n"
            "Maria Ostrova spoke to reporters on Monday.\n\n"
            + FILLER
            + '\n\n"We will not give up on the renters," Ostrova said.',
            ["Maria Ostrova"],
        ),
        # A role word ("Whip") before the name is cut off, as "Senator" is.
        (
            "\u201cWe have the votes,\u201d said Senate Majority Whip Lena Hart (D-Ore.) in"
            " an interview.",
            ["Lena Hart"],
        ),
        # A conjunction opening a sentence is not a first name ("Though Ostrova").
        (
            "Maria Ostrova chairs the housing council.\n\nThough Ostrova lost the vote, she"
            " stayed calm on Tuesday. \u201cWe will be back next year,\u201d Ostrova said.",
            ["Maria Ostrova"],
        ),
    ],
)
def test_speaker_resolution(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # No speech verb: the quote belongs to its sentence's subject, wherever it stands.
        (
            "Last year, at a conference in Denver, Maria Ostrova routinely called herself a"
            ' "builder of coalitions across the aisle."',
            ["Maria Ostrova"],
        ),
        # ... also when the subject is a surname after an opening phrase ...
        (
            "Anna DeLuca writes a weekly column.\n\nIn one of her columns, DeLuca attacked"
            ' the plan as "a gift to the developers in this town."',
            ["Anna DeLuca"],
        ),
        # ... and the head of the subject, not a name that modifies it.
        (
            "Maria Ostrova lost the vote.\n\nOstrova campaign manager Dana Cole released a"
            ' memo titled "The path to victory runs through May."',
            ["Dana Cole"],
        ),
        # ... but not to a possessor or to a name in a prepositional phrase.
        (
            "Maria Ostrova's aides met with Tom Berrin, who supports"
            ' "a bill of rights for every renter."',
            [None],
        ),
        # A quote opening the next paragraph goes on with the previous paragraph's speaker.
        (
            '"We are ready to vote on it this week," Maria Ostrova said on Tuesday.\n\n'
            '"Nobody should doubt the votes are there."',
            ["Maria Ostrova", "Maria Ostrova"],
        ),
        # ... unless something else stands in that paragraph first.
        (
            '"We are ready to vote on it this week," Maria Ostrova said on Tuesday.\n\n'
            'Critics disagreed. "Nobody should doubt the votes are not there."',
            ["Maria Ostrova", None],
        ),
    ],
)
def test_quotes_without_a_speech_cue(text, expected):
    assert speakers(text) == expected


def test_each_statement_says_which_cue_rule_found_its_speaker_and_who_was_around():
    text = (
        "Tom Berrin spoke after Maria Ostrova.\n\n"
        '"We are ready to vote on it this week," Ostrova said.\n\n'
        '"Nobody should doubt the votes are there."'
    )
    statements = extract_article(text, gazetteer=GAZETTEER).statements
    assert [s.cue for s in statements] == ["after", "carried"]
    assert statements[0].candidates == ("Tom Berrin", "Maria Ostrova")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A name after the verb followed by a verb is the reported clause's subject.
        (
            "Former mayor Lena Hart says Ruiz will \u201cbring the city back from the brink"
            " of ruin.\u201d",
            ["Lena Hart"],
        ),
        # ... and one followed by a possessive is its owner.
        (
            "Dana Cole, a council member, said Ruiz\u2019s budget \u201cleaves the schools"
            " behind again.\u201d",
            ["Dana Cole"],
        ),
        # ... but "said Rutte on Tuesday" still names the speaker.
        (
            '"The plan is sound and fully funded," said Lena Hart on Tuesday.',
            ["Lena Hart"],
        ),
        (
            "Critics pointed to remarks by council member Dana Cole that the budget"
            " \u201cleaves the schools behind again.\u201d",
            ["Dana Cole"],
        ),
        (
            "Tom Berrin said Maria Ostrova and Dana Cole \u201cdid a remarkable job on the"
            " budget.\u201d",
            ["Tom Berrin"],
        ),
        # A possessor of an utterance noun spelled like a verb ("remarks", "comments") is
        # not the agent of a speech verb.
        (
            "Maria Ostrova spoke on Monday. Council leader Tom Berrin told reporters that"
            " Ostrova\u2019s remarks \u201cshow contempt for renters.\u201d",
            ["Tom Berrin"],
        ),
        # After an inverted verb, the speaker is the head of the noun phrase, past the
        # names and role words that modify it ...
        (
            "Maria Ostrova lost the vote.\n\n\u201cWe will appeal the ruling,\u201d said"
            " Ostrova campaign manager Dana Cole.",
            ["Dana Cole"],
        ),
        (
            "Maria Ostrova lost the vote.\n\n\u201cWe will appeal the ruling,\u201d said"
            " Ostrova\u2019s deputy campaign manager, Dana Cole, who ran the count.",
            ["Dana Cole"],
        ),
        (
            "\u201cWe will appeal the ruling,\u201d said Lakeview resident Dana Cole.",
            ["Dana Cole"],
        ),
        # ... but not past a clause.
        (
            "\u201cThe vote is over now,\u201d said Tom Berrin when asked about Maria Ostrova.",
            ["Tom Berrin"],
        ),
        # A participle after an object belongs to the clause's subject.
        (
            "Maria Ostrova spent most of the long and heated council session on Tuesday going"
            " after Tom Berrin, calling him \u201ca friend of the landlords.\u201d",
            ["Maria Ostrova"],
        ),
        # ... not when the name has its own finite verb or its own participle.
        (
            "\u201cWe will win this fight,\u201d Tom Berrin said, adding that the vote was"
            " \u201conly the first step in a long fight.\u201d",
            ["Tom Berrin", "Tom Berrin"],
        ),
        (
            "Maria Ostrova chairs the council. The council delayed the vote again, with"
            " Ostrova noting that it was \u201ca waste of everyone\u2019s time.\u201d",
            ["Maria Ostrova"],
        ),
    ],
)
def test_subject_of_the_speech_verb_not_of_the_reported_clause(text, expected):
    assert speakers(text) == expected


def test_a_long_capitalised_run_keeps_its_surname():
    """Six capitalised words before the quote's verb: the role is cut from the left, the
    surname stays ("Lakeview Ward Alderwoman Dana Louise Cole", not "... Dana")."""
    text = (
        "\u201cIt is a good day for renters,\u201d said Lakeview Ward Alderwoman Dana Louise Cole."
    )
    (speaker,) = speakers(text)
    assert speaker is not None and speaker.endswith("Dana Louise Cole")


@pytest.mark.parametrize(
    ("text", "expected", "cues"),
    [
        # A paragraph ending in a colon introduces the quote of the next paragraph.
        (
            "Maria Ostrova spoke for an hour.\n\nOstrova continued:\n\n"
            "\u201cNobody in this city should pay half their wages in rent.\u201d",
            ["Maria Ostrova"],
            ["introduced"],
        ),
        # A signature line under a quote names its speaker.
        (
            "\u201cRenters deserve a fair deal, and they will get one.\u201d\n\n"
            "\u2014 Maria Ostrova\n\nThe council meets again in May.",
            ["Maria Ostrova"],
            ["signature"],
        ),
        # A paragraph that is only a quote goes to the source the paragraph before ends on,
        # and the quote-only paragraphs after it go on with that speaker.
        (
            "Tom Berrin defended the plan at length on Tuesday.\n\n"
            "\u201cIt pays for itself within five years.\u201d\n\n"
            "\u201cNobody has shown otherwise, not once.\u201d",
            ["Tom Berrin", "Tom Berrin"],
            ["paragraph", "carried"],
        ),
        # ... but not a quote that shares its paragraph with other sentences.
        (
            "Tom Berrin defended the plan at length on Tuesday.\n\n"
            "\u201cIt pays for itself within five years.\u201d The figures were disputed.",
            [None],
            [None],
        ),
    ],
)
def test_speakers_named_in_another_paragraph(text, expected, cues):
    statements = extract_article(text, gazetteer=GAZETTEER).statements
    assert [s.speaker for s in statements] == expected
    assert [s.cue for s in statements] == cues


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A surname with an inner capital is one name ("DeLuca", "LeVell").
        (
            'Anna DeLuca runs the tenants\u2019 union.\n\n"We are not done yet," DeLuca said.',
            ["Anna DeLuca"],
        ),
        # Reporting verbs of real news: "barked", "pressed", "questioned", "reacted".
        ('Tom Berrin waited.\n\n"Sit down and listen to them," Berrin barked.', ["Tom Berrin"]),
        ('Tom Berrin waited.\n\n"And what about the renters?" Berrin pressed.', ["Tom Berrin"]),
    ],
)
def test_names_and_verbs_of_real_news(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A suffix or a party label between the name and its verb.
        ('"We will appeal the ruling," Tom Berrin III, the union lawyer, said.', ["Tom Berrin"]),
        ('"It is a good day for renters," Rep. Dana Cole (D-Ore.) said.', ["Dana Cole"]),
        # The noun phrase after an inverted verb may open with a determiner or a role.
        (
            "Maria Ostrova spoke first.\n\n"
            '"We have a path to victory," added her campaign manager Dana Cole.',
            ["Dana Cole"],
        ),
        ('"Our ideas are different now," agrees Dana Cole, 30, of Lakeview.', ["Dana Cole"]),
        # A role before the first name may hold "of" ("former secretary of state").
        (
            '"We will not stand for it," said former secretary of state Dana Cole, who spoke'
            " first.",
            ["Dana Cole"],
        ),
        ('"This is fantastic!" beamed Tom Berrin of Lakeview.', ["Tom Berrin"]),
        # ... but a name that modifies a common noun is not the speaker.
        (
            '"It is not a slogan, it is a budget," said one Lakeview Ward official, who asked'
            " not to be named.",
            [None],
        ),
    ],
)
def test_the_speaker_after_the_quote(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the senator", "the governor", "the general" resolve to the person named earlier
        # with that title ("Sen.", "Gov.", "Gen.").
        (
            "Sen. Jane Roe (D-Ore.) spoke to reporters after the vote.\n\n"
            'The bill now goes to the House. The senator said: "We will vote no on this bill."',
            ["Jane Roe"],
        ),
        (
            'Gov. Tom Berrin also spoke.\n\n"It is a bad day for the state," the governor said.',
            ["Tom Berrin"],
        ),
        (
            "Gen. Dana Cole briefed the allies.\n\n"
            '"We are ready for the exercise in May," the general told reporters.',
            ["Dana Cole"],
        ),
    ],
)
def test_titles_resolve_to_the_person_named_with_them(text, expected):
    assert speakers(text) == expected


def test_a_capitalised_role_before_the_name_and_its_verb_after_it():
    """No mention starts right after the quote, but the phrase there ends in a name with its
    verb: that name is the speaker (the role words stay in the name as written)."""
    (speaker,) = speakers('"The evidence cannot prove it," Assistant Prosecutor Dana Cole wrote.')
    assert speaker is not None and speaker.endswith("Dana Cole")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A run ending in an abbreviated title is a role, not a name: "Navy Capt." gives
        # way to the name after it, before the verb and after an inverted one.
        ('Navy Capt. Jane Roe said the ships were "ready for anything at sea."', ["Jane Roe"]),
        ('"We will hold the line on this one," said Army Capt. Dan Miles.', ["Dan Miles"]),
        # Two roles joined by "and" before the name after an inverted verb.
        (
            '"We do not see any change in the plan for now," said former Ohio Gov. and party'
            " Chairman Ed Bloom.",
            ["Ed Bloom"],
        ),
        # A role word before an abbreviated title is not a titled name ("candidate Sen.").
        (
            "Democratic candidate Sen. Paul Voss (D-Ore.) on Monday criticized the plan,"
            ' saying it goes "nowhere near far enough."',
            ["Paul Voss"],
        ),
    ],
)
def test_abbreviated_titles_end_a_role_not_a_name(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An appositive in several parts between the agent and its verb, a town and its
        # state inside it: the agent is the name before it, the town is no person.
        (
            "Dean Roe, a 55-year-old plumber from Dillon, South Carolina, says Smith will"
            ' "win this one easily."',
            ["Dean Roe"],
        ),
        (
            "Mary Clark toured the state this week. Clark, during a town hall meeting in"
            ' Dayton, Ohio, said she was "going to fight for every job here."',
            ["Mary Clark"],
        ),
        (
            '"We had a long night in the hall," Paul Mott, the treasurer of the Better Roads'
            " PAC, a group of road builders, said.",
            ["Paul Mott"],
        ),
        # A state written before a possessive is not a town's state: the name stays a person.
        (
            'Ed Platt, Maine\'s governor, said he would "not sign the bill as it stands."',
            ["Ed Platt"],
        ),
        # A name opening a part of the appositive names the agent of the shared verb.
        (
            "The head of the Better Roads League, Anna Kowal, said the plan was"
            ' "a step in the right direction."',
            ["Anna Kowal"],
        ),
        (
            'Of Stone, Levin, who backs Walter Price, said: "He is a decent man with no plan."',
            ["Levin"],
        ),
        (
            "In a statement to the Observer, her senior policy adviser, Jake Sullivan, said:"
            ' "The candidate believes that this is essential."',
            ["Jake Sullivan"],
        ),
        (
            'On Tuesday in Berea, OH, after the vote, Gov. John Walsh (R-OH), said, "We are'
            ' getting ready for a long ride."',
            ["John Walsh"],
        ),
    ],
)
def test_appositives_in_several_parts_and_towns_with_their_state(text, expected):
    assert speakers(text) == expected


def test_a_different_first_name_never_merges_with_a_known_speaker():
    text = (
        "Donald Trump spoke first at the rally.\n\nEric Trump said the campaign was"
        ' "in the best shape it has ever been."\n\nPresident Trump said it was "a great day'
        ' for the country."'
    )
    assert speakers(text) == ["Eric Trump", "Donald Trump"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A word after capitalised words that are not names, written in lower case
        # elsewhere ("donor"), is no first name: "Donor Vance" is not a second Vance.
        (
            "Republican Donor Vance and the Mayor May be Aligning on Roads.\n\nTop party donor"
            f" Walter Vance said on Friday he had met the mayor. {FILLER}\n\n"
            '"We like a lot of the candidates," Vance said.',
            ["Walter Vance"],
        ),
        # "Team" before a surname is a campaign, not a first name.
        (
            "Team Vance sees the race as won.\n\nWalter Vance toured the state."
            f' {FILLER}\n\n"We like a lot of the candidates," Vance said.',
            ["Walter Vance"],
        ),
        # A sentence adverb opening a headline is no first name.
        (
            "Maybe Vance hasn't rewritten the rules.\n\nWalter Vance toured the state."
            f' {FILLER}\n\n"We like a lot of the candidates," Vance said.',
            ["Walter Vance"],
        ),
    ],
)
def test_common_words_before_a_surname_are_not_first_names(text, expected):
    assert speakers(text) == expected


def test_an_ambiguous_surname_with_a_title_goes_to_the_one_who_holds_it():
    text = (
        "Gov. Jane Roe opened the county fair. Her son Eric Roe ran the cider stand."
        f' {FILLER}\n\n"We are proud of this fair," Gov. Roe said.\n\n{FILLER}\n\n'
        '"It was a long day for all of us," Roe said.'
    )
    assert speakers(text) == ["Jane Roe", None]


def test_a_name_after_a_preposition_and_a_possessive_is_not_the_subject():
    text = (
        "Jane Roe toured the state. Speaking to WXYZ's Morning Talk Monday in Dayton, Roe"
        ' referred to Smith as "a bright, charismatic leader."'
    )
    assert speakers(text) == ["Jane Roe"]


def test_a_participle_opening_a_headline_is_not_a_first_name():
    text = (
        "Embattled Vance raises his profile.\n\nCouncil Chairman Walter Vance moved to the"
        f' back row. {FILLER}\n\n"We like a lot of the candidates," Vance said.'
    )
    assert speakers(text) == ["Walter Vance"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An organisation with "for", "of", "in" inside, between the agent and the verb.
        (
            '"Building a staged weapon is hard," Jeffrey Lane of the James Martin Center for'
            " Nonproliferation Studies wrote in December.",
            ["Jeffrey Lane"],
        ),
        # A clergy title before the name, an organisation and its city after it.
        (
            "As Archbishop Aris Kalfayan of the Armenian Patriarchate of Jerusalem told the AP,"
            ' "We have suffered the same fate."',
            ["Aris Kalfayan"],
        ),
        # A political action committee is no person.
        (
            '"This ad raises new questions," said the chairman of the Better Roads PAC.',
            [None],
        ),
    ],
)
def test_organisations_after_the_agent_and_their_words(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The agent of a passive speech verb follows "by", past role words before the name.
        (
            "Jane Roe toured the state. Roe was asked by radio host Bill Mahon, who backs her,"
            ' "Will you run again next year?"',
            ["Bill Mahon"],
        ),
        (
            "Roe was asked by Channel Four moderator Gerald Baxter whether the plan would risk"
            ' "adding another costly program to the budget."',
            ["Gerald Baxter"],
        ),
    ],
)
def test_the_agent_of_a_passive_speech_verb(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "She" after a man's sentence goes to the latest subject it agrees with.
        (
            "Mary Stone met Tom Baker on Monday. Baker spoke first. She said the deal was"
            ' "a good start for both of us."',
            ["Mary Stone"],
        ),
        # A title tells the gender as well as a given name does.
        (
            "Mrs. Lopez met Tom Baker on Monday. Baker spoke first. She said the deal was"
            ' "a good start for both of us."',
            ["Lopez"],
        ),
        # An unknown gender agrees with both pronouns: the latest subject stays.
        (
            "Ari Lopez met Kim Baker on Tuesday. Baker spoke first. He said the plan was"
            ' "far from finished yet."',
            ["Kim Baker"],
        ),
        # No subject agrees: nobody, rather than the wrong person.
        (
            'Tom Baker spoke first on Monday. She said the deal was "a good start for us."',
            [None],
        ),
    ],
)
def test_pronouns_agree_in_gender_with_their_person(text, expected):
    assert speakers(text) == expected


LONG_QUOTE = "We will keep every promise we made to the people of this county. " * 8


@pytest.mark.parametrize(
    ("between", "expected"),
    [
        # Only quotations between the full name and the shared surname: it stays hers.
        (f'"{LONG_QUOTE}"', "Anna Vance"),
        # The reporter's own words as long: two Vances, nobody named just before.
        (FILLER, None),
    ],
)
def test_the_window_for_a_shared_surname_counts_the_reporters_words_only(between, expected):
    text = (
        "Carl Vance and his sister ran the county fair. Anna Vance spoke first on Monday."
        f' {between}\n\n"We are proud of this fair," Vance said.'
    )
    assert speakers(text)[-1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A preposition opening the sentence puts its name out of the subject's place.
        (
            "Dana Corwin and Ed Menard wrote the bill. Like Corwin, Menard also rejected the"
            " notion that the party could walk away from the bill over the waivers, arguing"
            ' that there is "room for the administration" in the plan.',
            ["Ed Menard"],
        ),
        (
            'In Just the Way You Are, Billy Jonas sings, "Don\'t go changing to please me."',
            ["Billy Jonas"],
        ),
    ],
)
def test_a_name_after_a_sentence_opening_preposition_is_not_the_subject(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The subject of a quote without a speech verb comes after an opening clause.
        (
            "Dan Bloom sat behind Tom Perry on the flight. When told Perry was in the Cabinet,"
            ' Bloom thought for a moment and said that in this climate "it is kind of an'
            ' advantage not to be famous."',
            ["Dan Bloom"],
        ),
        (
            "Mark Dole spoke after Ann Vick. Answering Vick on the budget, Dole dismissed the"
            ' plan as "a walking liability for the county."',
            ["Mark Dole"],
        ),
    ],
)
def test_the_subject_comes_after_an_opening_clause(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A surname that is also a common word or a place, with a speech verb of its own, is
        # the person the article names in full, not the word.
        (
            "Rep. Dana Israel opened the hearing on the port. The delegation stayed late."
            ' "We are working hard on this budget," Israel said. "It will pass."',
            ["Dana Israel", "Dana Israel"],
        ),
        (
            "Tim Holt and Al From ran the council for years. In the end, voters saw it as"
            ' "the party of big promises," From said.',
            ["Al From"],
        ),
        # Not a day ("Super Tuesday" then "said Tuesday that"), nor a word before a
        # participle ("on Facebook writing").
        (
            "Dan Roe campaigned hard before Super Tuesday in the south.\n\nRoe, in Ohio, said"
            ' Tuesday that his rival was "a total lightweight on trade."',
            ["Dan Roe"],
        ),
        (
            "Jan Holt went on Telemundo Facebook that night.\n\nHolt replied to the question on"
            ' Facebook writing, "Yes, I will change that word."',
            ["Jan Holt"],
        ),
    ],
)
def test_a_surname_that_is_a_common_word_speaks_with_its_own_verb(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A US state or a country's adjective before a name is a place, not a first name:
        # "Ohio Roe rally" does not add a second Roe to the chain.
        (
            "Dan Roe spoke in Akron last week. The crowd was large and loud. After an Ohio Roe"
            ' rally, the mayor left early.\n\n"By the spring, the county was facing a deficit,"'
            " Roe said.",
            ["Dan Roe"],
        ),
        (
            '"The show will go on every night this month," said German Lopez, one of the'
            " actors in the play.",
            ["Lopez"],
        ),
    ],
)
def test_a_place_before_a_name_is_not_its_first_name(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A quote inside a sentence that names nobody and has no speech cue goes on with
        # the paragraph's previous speaker.
        (
            '"The deal is good for the county," Ann Vick said. But that is not the same thing'
            ' as "a deal for everyone in it."',
            ["Ann Vick", "Ann Vick"],
        ),
        (
            '"He is meant to cheer for this town," Ann Vick said. Instead, "he acts like a'
            ' beaten man."',
            ["Ann Vick", "Ann Vick"],
        ),
        # A sentence that names someone else does not carry her.
        (
            '"The deal is good for the county," Ann Vick said. Tom Ware\'s plan is "a deal for'
            ' nobody at all."',
            ["Ann Vick", None],
        ),
    ],
)
def test_a_quote_in_a_sentence_naming_nobody_goes_on_with_the_previous_speaker(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An appositive of up to four parts between the agent and the verb.
        (
            '"Both of them scare me," Hal Byrd, 30, of Durham, N.C., who was among those'
            " polled, said in an interview.",
            ["Hal Byrd"],
        ),
        # A name before a bare comma and the verb ends a phrase: the agent is elsewhere.
        (
            'Tom Vance leads the race. "This will be a long summer" for Vance, said Ruth Kimble,'
            " a county pollster.",
            ["Ruth Kimble"],
        ),
        (
            'Tom Vance leads the race. Sam Dorsey, a contestant on "Big Deal," who went on to'
            ' work alongside Vance, said the senator was "always kind to his staff."',
            ["Sam Dorsey"],
        ),
        # As an appositive of its own, it is the agent.
        (
            'Tom Vance leads the race. His campaign manager, Jo Leary, said it was "a long'
            ' summer for everyone."',
            ["Jo Leary"],
        ),
    ],
)
def test_an_appositive_before_the_verb_and_a_phrase_ending_in_a_name(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # After a quote closed by a full stop, a sentence that reports more is no attribution.
        (
            '"It is a very sad day," Ann Cole told reporters. "This is the result of a culture'
            ' of fear in the office." Gov. Tim Dale said he would have fired the aide.',
            ["Ann Cole", "Ann Cole"],
        ),
        # Nor one opening with a preposition.
        (
            '"I would love to see him at a show," Jo Pratt said of Lee. "But as mayor, he is a'
            ' circus act." Of Dunn, Pratt, who gave money to Ray Voss, said, "He is a decent'
            ' man."',
            ["Jo Pratt", "Jo Pratt", "Jo Pratt"],
        ),
        # An attribution that ends there still counts.
        ('"We will be back next year." Jane Lusk said on Monday.', ["Jane Lusk"]),
    ],
)
def test_a_new_sentence_after_a_full_stop_is_no_attribution(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize("reference", ["He", "The senator"])
def test_a_pronoun_or_description_keeps_a_shared_surname_in_reach(reference):
    # Of two people sharing a surname, the one a pronoun or a description refers to was
    # mentioned just before: the surname is theirs, however long ago the full name was.
    text = (
        "Sen. Tom Holt toured the plant on Monday. His daughter, Mary Holt, runs a bakery in"
        f" town. {FILLER}{reference} told the workers the plant was safe for now.\n\n"
        '"We will keep the plant open for years," Holt said.'
    )
    assert speakers(text) == ["Tom Holt"]
    # Without that reference, the shared surname stays for the editor.
    unreferenced = text.replace(f"{reference} told", "The manager told")
    assert speakers(unreferenced) == [None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A name after "between", "among", "behind" ... is not the subject.
        (
            "In one exchange between Ann Vick and her aide Tom Ware in May, Ware forwards a"
            ' note with the subject line "Photo went viral today."',
            ["Tom Ware"],
        ),
        # The possessor of an utterance is its speaker, with words before the noun too.
        ('Dan Roe\'s campaign slogan is "I am with you all."', ["Dan Roe"]),
        ('Dan Roe\'s favourite catch phrase was that his rival "would say anything."', ["Dan Roe"]),
        # Not the possessor of something else.
        ('Dan Roe\'s campaign office was called "a mess of boxes" by visitors.', [None]),
    ],
)
def test_prepositions_and_possessors_before_a_quote_without_a_speech_verb(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Reporting verbs of English news beyond "say": the agent is the speaker ...
        ('"You have called the voters fools," Ann Vick charged in her speech.', ["Ann Vick"]),
        (
            'When Tom Ware said the town would sue, Ann Vick fired back: "If they sue us, they'
            ' will lose."',
            ["Ann Vick"],
        ),
        ('"That is the last time we do this," Ann Vick muttered.', ["Ann Vick"]),
        # ... and a name after an object verb is its object, not an inverted agent.
        ('Ann Vick taunted Tom Ware, "You will lose this race in May."', ["Ann Vick"]),
    ],
)
def test_reporting_verbs_of_english_news(text, expected):
    assert speakers(text) == expected


def test_a_sentence_with_its_own_subject_does_not_carry_the_previous_speaker():
    # The subject of a sentence introducing a quote with a colon is its source, not the
    # speaker of the quote before.
    text = (
        '"The governor could sign an order," said Tom Ware, head of the union. Ann Vick'
        ' resisted: "Governors do not have that power here."'
    )
    assert speakers(text) == ["Tom Ware", "Ann Vick"]


@pytest.mark.parametrize(
    "second_mention",
    [
        # No second Vance enters the chain from a word of a closed class, a two-word US
        # state or a title without its full stop before the surname, nor from a spelling
        # with a doubled letter; so the surname far from the full name is still hers.
        "Between Vance and her rival, the gap is small.",
        "The New Hampshire Vance rally drew a crowd.",
        "Mrs Vance spoke to the crowd later.",
        "Hilary Vance spoke to the crowd later.",
    ],
)
def test_no_second_person_from_words_before_a_surname(second_mention):
    text = (
        f"Hillary Vance toured the state on Monday. {second_mention} {FILLER}"
        '\n\n"We will carry the state in the fall," Vance said.'
    )
    assert speakers(text) == ["Hillary Vance"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "accuses", "thanked", "praised": the agent's words, the name after is the object.
        (
            'Tom Vance accuses Ann Vick of "leading from behind" and Dan Roe says she is'
            ' "losing the war on debt."',
            ["Tom Vance", "Dan Roe"],
        ),
    ],
)
def test_object_taking_reporting_verbs(text, expected):
    assert speakers(text) == expected


def test_a_word_joined_to_a_lower_case_word_is_no_name():
    # "Vance-backed Liberty" is no person among the candidates ("Trump-backed", "GOP-led").
    text = (
        "Before the vote, the Vance-backed Liberty preacher Dana Ruiz, who was jailed in 2011,"
        ' is shown lecturing: "Voters of the West, take heed of history now."'
    )
    (statement,) = extract_article(text, gazetteer=GAZETTEER).statements
    assert statement.candidates == ("Dana Ruiz",)


def test_a_name_after_a_preposition_is_no_agent_of_the_participle_after_it():
    text = (
        'Tom Vance will speak at the convention. "Many people are unsure this year," Vance'
        ' wrote in a statement to Ledger explaining his choice, "but most of us agree on the'
        ' economy."'
    )
    assert speakers(text) == ["Tom Vance", "Tom Vance"]


def test_and_joining_two_clauses_leaves_the_subject_of_the_second():
    # "and" after a lower-case word joins clauses: the name after it is a subject; after a
    # name ("Ann Vick and Tom Vance") it is not the sentence's only subject.
    text = (
        'As the debate progressed and Tom Vance stood by his comment that "the plan hurts us all,"'
        " the crowd roared."
    )
    assert speakers(text) == ["Tom Vance"]


@pytest.mark.parametrize(
    "verb", ["praised Dag Holm for leading", "told Dag Holm about", "urged Dag Holm to hold"]
)
def test_the_object_of_a_reporting_verb_is_no_subject_for_a_later_pronoun(verb):
    # "Berg praised Holm ... what he called" and the next "he said": Berg, the subject. The
    # name after an object-taking verb is its object ("told Holm"), not an inverted speaker
    # ("said Holm"), so it does not become the person a pronoun refers to.
    text = (
        f"Minister Per Berg met the press in Oslo on Monday. Berg {verb} what he called"
        ' "a hard debate" on spending. "We need to talk about the threats," he said.'
    )
    assert speakers(text) == ["Per Berg", "Per Berg"]


@pytest.mark.parametrize(
    "shown",
    [
        'a banner read "strength in numbers"',
        'placards bearing "strength in numbers" lined the road',
        'the screen displayed "strength in numbers"',
    ],
)
def test_words_a_thing_shows_are_not_carried_to_the_last_speaker(shown):
    # A quote inside a sentence that names nobody goes on with the paragraph's previous
    # speaker, unless a thing shows the words ("a banner read ..."): they are its text.
    text = f'"We will pay our share," Defence Minister Per Berg said on Monday. Outside, {shown}.'
    assert speakers(text) == ["Per Berg", None]


def test_a_quote_inside_a_sentence_naming_nobody_still_goes_on_with_the_speaker():
    text = (
        '"We will pay our share," Defence Minister Per Berg said. But that is not "a blank cheque".'
    )
    assert speakers(text) == ["Per Berg", "Per Berg"]


def cues(text: str) -> list[tuple[str | None, str | None]]:
    return [(s.speaker, s.cue) for s in extract_article(text, gazetteer=GAZETTEER).statements]


INTRODUCED = "Minister Per Berg and mayor Ida Lund toured the new depot in Bergen on Monday.\n\n"


@pytest.mark.parametrize(
    "sentence",
    [
        # Right before the quote, past a colon or a copula.
        'From Lund\'s blog post: "The depot will open its gates next spring."',
        'Lund\'s message was simple: "The depot will open its gates next spring."',
        # The noun found as a word, not inside another ("post" in "reposted").
        'Lund\'s reposted post: "The depot will open its gates next spring."',
        # Opening the sentence, after a preposition at most.
        'In Lund\'s words, the depot "will open its gates next spring."',
        # Around the quote.
        'Much hangs on Lund\'s "the depot opens next spring" promise to the workers.',
    ],
)
def test_the_owner_of_an_utterance_noun_is_the_source_of_its_quote(sentence):
    # No speech verb names the source: "Lund's words", "Lund's post" do (the possessive cue).
    assert cues(INTRODUCED + sentence) == [("Ida Lund", "possessive")]


def test_an_owned_utterance_gives_way_to_a_speech_verb():
    # "Berg called Lund's plan ...": the verb's agent, not the owner of the utterance.
    text = INTRODUCED + 'Berg called Lund\'s speech "a depot of empty promises".'
    assert cues(text) == [("Per Berg", "before")]


@pytest.mark.parametrize(
    "source",
    [
        "an email sent out by Lund",
        "a court filing signed by deputy mayor Ida Lund",
        "a statement from Lund",
    ],
)
def test_a_text_names_its_source_after_by_or_from(source):
    text = INTRODUCED + f'"The depot will open its gates next spring," according to {source}.'
    assert speakers(text) == ["Ida Lund"]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_name_with_misdecoded_accents_is_still_a_name(form):
    # "Inès Nuñez" as UTF-8 read as Latin-1 ("InÃ¨s NuÃ±ez"), composed or decomposed: the
    # name stays whole, so the quote after it has its speaker.
    import unicodedata

    name = unicodedata.normalize(form, "In\u00c3\u00a8s Nu\u00c3\u00b1ez")
    text = INTRODUCED + f'Foreign Minister {name} said the depot was "a good start for us all."'
    assert speakers(text) == [name]


def test_a_quote_repeated_word_for_word_takes_the_source_of_its_attributed_copy():
    # A headline quoting the body: nothing in the headline attributes it ("Mayor Tells
    # Council" names nobody), the body does; case and punctuation aside, the words are one.
    text = (
        "Depot \u201cWill Open Its Gates Next Spring,\u201d Mayor Tells Council\n\n"
        'Mayor Ida Lund toured the depot on Monday. It "will open its gates next spring," Lund'
        " said."
    )
    assert cues(text) == [("Ida Lund", "repeated"), ("Ida Lund", "after")]


def test_a_quote_without_an_attributed_copy_stays_without_a_speaker():
    text = (
        "Depot \u201cWill Open Its Gates Next Spring,\u201d Mayor Tells Council\n\n"
        'Mayor Ida Lund toured the depot on Monday. "We are glad to see it," Lund said.'
    )
    assert cues(text)[0] == (None, None)


@pytest.mark.parametrize(
    "attribution",
    [
        # An appositive not closed by a comma before the verb.
        "Ida Lund, the pollster who founded lundpolls.com tweeted on Monday",
        "Ida Lund, who chairs Better Roads said",
        # An appositive holding a quotation.
        'Ida Lund, wearing "Vote Lund" pins, said',
    ],
)
def test_an_appositive_left_open_or_holding_a_quotation_keeps_its_agent(attribution):
    text = INTRODUCED + f'"The depot will open its gates next spring," {attribution}.'
    assert cues(text) == [("Ida Lund", "after")]


@pytest.mark.parametrize(
    "sentence",
    [
        # The relative clause has a subject of its own: the name is its object.
        'Berg praised the depot run by Lund, who he noted was "the best mayor in the region."',
        'Berg met Lund, who Berg called "the best mayor in the region."',
    ],
)
def test_an_open_appositive_with_its_own_subject_gives_no_agent(sentence):
    assert [speaker for speaker, _ in cues(INTRODUCED + sentence)] == ["Per Berg"]


@pytest.mark.parametrize(
    "signed",
    [
        '"The depot will open its gates next spring." \u2014 Mayor Ida Lund',
        '"The depot will open its gates next spring." - Ida Lund, on her blog',
        '"The depot will open its gates next spring." \u2014 Ida Lund (@idalund) May 3, 2016',
        '"The depot will open its gates next spring" (Lund, Monday)',
    ],
)
def test_a_signature_on_the_quotes_own_line(signed):
    # A dash or brackets after the closing mark and a name to the line's end: a signature
    # (pull quotes, lists of reactions, posts quoted inline).
    text = INTRODUCED + "Here is how they reacted.\n\n" + signed
    assert cues(text) == [("Ida Lund", "signature")]


def test_a_dash_after_a_quote_opening_a_clause_is_no_signature():
    text = INTRODUCED + '"The depot opens next spring" - which Lund promised in May - is a plan.'
    assert [cue for _, cue in cues(text)] != ["signature"]


def test_per_names_the_source_after_it():
    text = INTRODUCED + 'The depot "will open its gates next spring," per Lund.'
    assert speakers(text) == ["Ida Lund"]
