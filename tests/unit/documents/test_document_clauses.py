"""Letters and replies read by the grammar of their sentences, not by fixed phrases."""

from __future__ import annotations

from datetime import date

from portal.documents.clauses import confirms, cued_period, full_name, mentoring_relation
from portal.documents.emails import split_reply
from portal.documents.facts import closing_name
from portal.documents.layout import BODY, QUOTED, Block
from portal.documents.letters import find_letter_facts


def test_a_passive_sentence_with_a_first_name_takes_the_full_name_from_elsewhere():
    text = (
        "Please accept this note about Teodora Vilkas-Brandt's nomination.\n"
        "Back in 2021 I was coached by Teodora for most of a year."
    )
    relation = mentoring_relation(text, "Ilse Marjanović")
    assert relation is not None
    assert (relation.mentor, relation.mentee) == ("Teodora Vilkas-Brandt", "Ilse Marjanović")
    assert "coached by Teodora" in relation.evidence


def test_an_active_sentence_with_me_as_object_makes_the_signer_the_mentee():
    text = "Quentin Aldous-Mare is applying. Quentin mentored me while I retrained as a surveyor."
    relation = mentoring_relation(text, "Rosalind Ebuka")
    assert relation is not None and (relation.mentor, relation.mentee) == (
        "Quentin Aldous-Mare",
        "Rosalind Ebuka",
    )


def test_a_pronoun_or_a_first_name_never_named_in_full_is_not_a_person():
    assert mentoring_relation("She mentored me for a year.", "Rosalind Ebuka") is None
    assert mentoring_relation("Quentin mentored me for a year.", "Rosalind Ebuka") is None


def test_the_full_name_is_the_longest_that_every_mention_agrees_with():
    assert full_name("Odile Brandt-Kaur's file; Odile Brandt-Kaur signed", "Odile") == "Odile Brandt-Kaur"
    assert full_name("Odile Brandt and Odile Marchetti", "Odile") == "Odile"


def test_a_start_and_an_end_cued_by_their_words_make_the_period():
    text = "Our opening session took place on 4 March 2021, and we stopped meeting on 19 November 2021."
    start, end, evidence = cued_period(text)
    assert (start, end) == (date(2021, 3, 4), date(2021, 11, 19))
    assert "opening session" in evidence
    assert cued_period("We last met on 19 November 2021; we first met on 4 March 2021.") is None


def test_a_sign_off_by_its_shape_names_the_signer_but_a_greeting_does_not():
    assert closing_name(["Dear Hamid,", "Pim Oosterhuis", "Thanks a lot,", "Pim Oosterhuis"]) == (
        "Pim Oosterhuis",
        "Pim Oosterhuis",
    )
    assert closing_name(["Dear Hamid,", "Pim Oosterhuis"]) is None


def test_a_reply_is_cut_from_the_message_it_quotes():
    body = (
        "All correct, thanks.\n\nBea\n\n"
        "-----Original Message-----\nFrom: Panel Office\nSent: 3 May 2024\n\nPlease confirm the details."
    )
    reply, quoted = split_reply(body)
    assert reply.strip() == "All correct, thanks.\n\nBea"
    assert quoted.startswith("-----Original Message-----") and "Please confirm" in quoted
    reply, quoted = split_reply("Agreed.\n\n> Mentor: Wen Li\n> Mentee: Ada Roe")
    assert reply.strip() == "Agreed." and quoted == "Mentor: Wen Li\nMentee: Ada Roe"


def test_quoted_facts_count_only_when_the_reply_confirms_them():
    def blocks(first_line: str) -> list[Block]:
        return [
            Block("line", [first_line], source=BODY),
            Block("line", ["Best,", "Noor Vaessen"], source=BODY),
            Block(
                "line",
                [
                    "Mentor: Wen Li Hardcastle",
                    "Mentee: Ada Roe-Fitzgerald <ada.rf@mail.example>",
                    "Dates: 2 June 2022 to 30 January 2023",
                ],
                source=QUOTED,
            ),
        ]

    confirmed = blocks("Yes, those details are accurate.")
    facts = find_letter_facts("\n".join(line for b in confirmed for line in b.lines), confirmed)
    assert facts.signer == "Noor Vaessen"
    assert (facts.mentor_name, facts.mentee_name) == ("Wen Li Hardcastle", "Ada Roe-Fitzgerald")
    assert facts.mentee_email == "ada.rf@mail.example"
    assert (facts.start_date, facts.end_date) == (date(2022, 6, 2), date(2023, 1, 30))
    assert "confirmed" in facts.evidence["mentor_name"]

    denied = blocks("I'm afraid the dates are not right.")
    facts = find_letter_facts("\n".join(line for b in denied for line in b.lines), denied)
    assert facts.signer == "Noor Vaessen" and facts.mentor_name is None and facts.start_date is None


def test_confirmation_is_said_and_not_denied():
    assert confirms("Yes — happy to confirm.")
    assert not confirms("I cannot confirm this; I never met them.")
    assert not confirms("Thanks for the note.")
