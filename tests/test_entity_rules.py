"""Entity rules and the normaliser on short Danish texts, without the statistical NER."""

from __future__ import annotations

import pytest

from referat.entities.rules import amount_spans, party_context_spans, party_name_spans
from referat.pipeline.assemble import blank_nlp, build_pipeline


@pytest.fixture(scope="module")
def nlp(configs):
    return build_pipeline(configs)


def ents(nlp, text):
    return [(ent.text, ent.label_, ent._.value) for ent in nlp(text).ents]


def test_amounts_with_values(nlp):
    text = ("Der søges en tillægsbevilling på 1,4 mio. kr. til projektet, og kr. 45.000,- "
            "til materialer. Rammen er 2.282.000,00 kr og mindreforbruget -8,6 mio. kr.")
    found = [(t, v) for t, label, v in ents(nlp, text) if label == "AMOUNT"]
    assert found == [("1,4 mio. kr.", 1_400_000), ("kr. 45.000,-", 45_000),
                     ("2.282.000,00 kr", 2_282_000), ("-8,6 mio. kr.", -8_600_000)]


def test_case_numbers_dates_and_percentages_are_not_amounts(nlp):
    text = "Sagsnr. 27.00.00-A00-1-19 blev behandlet 24.08.2017, og 35 % af de 1.200 borgere var i job."
    assert [e for e in ents(nlp, text) if e[1] == "AMOUNT"] == []


def test_amount_keeps_kr_period_at_sentence_end_but_not_the_full_stop(nlp):
    text = "Der er i alt søgt om 612.500 kr.. Forvaltningen anbefaler 1,2 mio. kr."
    assert [t for t, label, _ in ents(nlp, text) if label == "AMOUNT"] == ["612.500 kr.", "1,2 mio. kr."]


def test_table_unit_is_not_an_amount(context_rules):
    text = "Oversigt (1.000 kr.)\nSkoler\t8.450\t-120\nBeløb i 1.000 kr.\nI alt 300.000 kr."
    assert [text[s:e] for s, e, _ in amount_spans(text, context_rules)] == ["300.000 kr."]


def test_members_with_party_codes_in_brackets_and_after_comma(nlp):
    text = "Medlemmer: Karin Dyhr (A), Ole Vang (V)\nDeltagere:\nPia Holm, F\n\n1. Godkendelse af dagsorden\nGodkendt.\n"
    found = ents(nlp, text)
    assert ("Karin Dyhr", "PERSON", "Socialdemokratiet") in found
    assert ("A", "PARTY", "Socialdemokratiet") in found
    assert ("Pia Holm", "PERSON", "SF - Socialistisk Folkeparti") in found
    assert ("F", "PARTY", "SF - Socialistisk Folkeparti") in found


def test_party_code_at_the_end_of_a_line_and_a_sentence(nlp):
    text = "Sagen blev sat til afstemning.\nFor stemte: A, F og Ø (14)\nImod stemte: V og C.\n"
    codes = [t for t, label, _ in ents(nlp, text) if label == "PARTY"]
    assert codes == ["A", "F", "Ø", "V", "C"]


def test_item_kind_code_after_a_title_is_not_a_party(nlp):
    text = "Referat\n\n1. Godkendelse af dagsorden (B)\nBeslutning\nGodkendt.\n\n2. Status Vestby Skole (O)\nSagsfremstilling\nTekst.\n"
    assert [e for e in ents(nlp, text) if e[1] == "PARTY"] == []


def test_person_with_role_before_the_code(context_rules, lexicon):
    text = "Medlemmer:\nLars Kristian Bech, formand (A)\nborgmester Anders Kiær (V) deltog."
    spans = [(text[s:e], label) for s, e, label in party_context_spans(text, lexicon.parties, context_rules)]
    assert ("Lars Kristian Bech", "PERSON") in spans and ("Anders Kiær", "PERSON") in spans
    assert [t for t, label in spans if label == "PARTY"] == ["A", "V"]


def test_party_names_written_out_and_the_word_venstre_is_not_one(lexicon):
    text = "Venstre og Socialdemokratiet stemte for, Enhedslistens gruppe imod. Drej til venstre ved skolen."
    assert [text[s:e] for s, e, _ in party_name_spans(text, lexicon.parties)] == ["Venstre", "Socialdemokratiet", "Enhedslistens"]


def test_local_list_letter_beside_members_counts(nlp):
    text = "Medlemmer: Finn Esmann (C), Marianne Ploug (L)\n\n1. Godkendelse af dagsorden\nGodkendt.\n"
    parties = [(t, v) for t, label, v in ents(nlp, text) if label == "PARTY"]
    assert parties == [("C", "Det Konservative Folkeparti"), ("L", "L")]


def test_municipality_and_named_committee_are_org(nlp):
    text = "Herning Kommunes plan sendes til Økonomiudvalget og Børne- og Ungeudvalget. Udvalget tager den til efterretning."
    orgs = [t for t, label, _ in ents(nlp, text) if label == "ORG"]
    assert orgs == ["Herning Kommunes", "Økonomiudvalget", "Børne- og Ungeudvalget"]


def test_tokenizer_splits_apostrophe_genitive_and_lone_capital_period():
    tokens = [t.text for t in blank_nlp()("AKF's rapport. Imod stemte: B.")]
    assert tokens[:2] == ["AKF", "'s"] and tokens[-2:] == ["B", "."]


def test_tidy_trims_edges_drops_bad_persons_and_generic_orgs(lexicon):
    from referat.entities.tidy import tidy

    text = "Sagsbehandler: Bente Holm \u00a0\n\nBudget 2024. Jobcentrets indsats. I Vestby. 'Brug for Alle' og C. Jobcenter Fjordby."
    spans = [
        (text.index("Bente"), text.index("Budget") + 6, "PERSON"),       # runs over the line break
        (text.index("Jobcentrets"), text.index("Jobcentrets") + 11, "ORG"),  # generic
        (text.index("I Vestby"), text.index("I Vestby") + 8, "PERSON"),   # function word + one word
        (text.index("'Brug"), text.index("Alle'") + 5, "PROGRAMME"),      # quotes at the edges
        (text.index("C."), text.index("C.") + 1, "PARTY"),                # a lone letter in a list
    ]
    from referat.entities.rules import is_generic_org
    tidied = tidy(text, spans, is_generic=lambda s: is_generic_org(s, lexicon), is_party=lambda s: len(s) > 1,
                  leading_words=lexicon.leading_words)
    assert [(text[s:e], label) for s, e, label in tidied] == [("Bente Holm", "PERSON"), ("Brug for Alle", "PROGRAMME")]


def test_a_title_cased_name_that_starts_with_an_article_is_no_person(lexicon):
    from referat.entities.tidy import tidy

    text = "Borgerne i Et Stærkere Fællesskab mødes med Ida Vestergaard og Den Grønne Omstilling."
    spans = [(text.index("Et "), text.index(" mødes"), "PERSON"),
             (text.index("Ida"), text.index(" og Den"), "PERSON"),
             (text.index("Den "), len(text) - 1, "PERSON")]
    tidied = tidy(text, spans, is_party=lambda s: False, leading_words=lexicon.leading_words,
                  not_name_start=lexicon.not_name_start)
    assert [text[s:e] for s, e, _ in tidied] == ["Ida Vestergaard"]


def test_abbreviation_takes_the_label_of_its_long_form_and_names_propagate():
    from referat.entities.tidy import abbreviations, propagate

    text = "Styrelsen for Dataforsyning og Infrastruktur (SDFI) har bevilget midler. SDFI følger op på 3i1, og 3i1 evalueres."
    long_form = (0, text.index(" (SDFI)"), "ORG")
    short = abbreviations(text, [long_form])
    assert [(text[s:e], label) for s, e, label in short] == [("SDFI", "ORG")]
    found = propagate(text, [long_form, *short, (text.index("3i1"), text.index("3i1") + 3, "PROGRAMME")])
    assert [(text[s:e], label) for s, e, label in found].count(("SDFI", "ORG")) == 2
    assert [(text[s:e], label) for s, e, label in found].count(("3i1", "PROGRAMME")) == 2


def test_named_spans_quoted_programme_and_case_worker(context_rules):
    from referat.entities.rules import named_spans

    text = ("Sagsnr.: 19/1234 Sagsbehandler: Mette Lund\nJobcentret deltager i projekt 'Flere skal med' fra 2024.\n"
            "Pulje til styrket indsats for unge ledige 2023-2024\nBevilget: 400.000 kr.\n")
    found = [(text[s:e], label) for s, e, label in named_spans(text, context_rules)]
    # a "Pulje til ..." line is left to the NER: a rule for it would match far more lines than names
    assert found == [("Mette Lund", "PERSON"), ("Flere skal med", "PROGRAMME")]


def test_committee_initials_in_running_text_but_not_in_routing_grids_or_title_tags():
    from referat.entities.tidy import committee_abbreviations, committee_initials

    assert committee_initials("Vækst- og Beskæftigelsesudvalget") == "VBU"
    assert committee_initials("Økonomiudvalget") == "ØU"
    assert committee_initials("Byrådet") is None
    text = ("Beslutning i Teknik- og Miljøudvalget den 1-2-2020\nDer er sendt to breve til TMU fra ministeren om vejene.\n"
            "DIR\nTMU\nØKU\n3. Status på vejplanen - TMU\n")
    committee = (text.index("Teknik"), text.index(" den"), "ORG")
    found = [(text[s:e], s) for s, e, _ in committee_abbreviations(text, [committee])]
    assert found == [("TMU", text.index("TMU fra"))]


def test_board_names_are_not_agencies(context_rules):
    from referat.entities.rules import org_spans

    text = "Kommunalbestyrelsen og Skolebestyrelsen hørte Ankestyrelsen og Transportministeriets svar."
    assert [text[s:e] for s, e, _ in org_spans(text, context_rules)] == ["Ankestyrelsen", "Transportministeriets"]


def test_firms_by_company_form_and_funds(context_rules):
    from referat.entities.rules import org_spans

    text = ("Opgaven løses af Quick Care A/S og Enemærke & Petersen A/S med støtte fra Trygfonden, "
            "A.P. Møller Fonden og Lokale- og Anlægsfonden. Fonden støtter også ABT-fonden.")
    assert sorted(text[s:e] for s, e, _ in org_spans(text, context_rules)) == sorted([
        "Quick Care A/S", "Enemærke & Petersen A/S", "Trygfonden", "A.P. Møller Fonden",
        "Lokale- og Anlægsfonden", "ABT-fonden"])


def test_plans_strategies_and_policies_are_no_programme(lexicon):
    from referat.entities.tidy import tidy

    text = ("Projektet indgår i Klimaplan 2040 og i Plan- og Erhvervsstrategien. Puljen Grøn Hverdag "
            "støtter Sundhedspolitikken. Byen Rundt får midler.")
    names = ["Klimaplan 2040", "Plan- og Erhvervsstrategien", "Grøn Hverdag", "Sundhedspolitikken", "Byen Rundt"]
    spans = [(text.index(n), text.index(n) + len(n), "PROGRAMME") for n in names]
    tidied = tidy(text, spans, is_party=lambda s: False, document_endings=lexicon.document_endings)
    assert [text[s:e] for s, e, _ in tidied] == ["Grøn Hverdag", "Byen Rundt"]
    # a pipeline saved without the list keeps them
    assert len(tidy(text, spans, is_party=lambda s: False)) == 5


def test_a_file_name_in_a_bilag_list_is_no_name(lexicon):
    from referat.entities.tidy import tidy

    text = "Bilag:\n1. Tidsplan KMU.pdf\n2. Notat fra Miljøstyrelsen.docx\n3. Aftale med Vestkraft A/S (udkast)\n"
    spans = [(text.index("KMU"), text.index("KMU") + 3, "ORG"),
             (text.index("Notat"), text.index(".docx"), "ORG"),
             (text.index("Miljø"), text.index(".docx") + 5, "ORG"),
             (text.index("Vestkraft"), text.index(" (udkast)"), "ORG")]
    tidied = tidy(text, spans, is_party=lambda s: False, file_suffixes=lexicon.file_suffixes)
    assert [text[s:e] for s, e, _ in tidied] == ["Vestkraft A/S"]


def test_a_name_goes_on_over_a_line_break_only_where_its_line_ends_in_a_joining_word(lexicon):
    from referat.entities.tidy import tidy

    text = ("Sagen er forelagt Center for Sundhed og\nOmsorg i maj.\nIndstilling\nDirektionen indstiller, "
            "at Ældre-\nområdet får midler. Mødet med Vestegnens\nGolfklub blev aflyst.")
    spans = [(text.index("Center"), text.index(" i maj"), "ORG"),
             (text.index("Indstilling"), text.index(" indstiller"), "ORG"),
             (text.index("Ældre-"), text.index(" får"), "ORG"),
             (text.index("Vestegnens"), text.index(" blev"), "ORG")]
    tidied = tidy(text, spans, is_party=lambda s: False, joining_words=lexicon.name_joining_words)
    assert [text[s:e] for s, e, _ in tidied] == ["Center for Sundhed og\nOmsorg", "Indstilling", "Ældre-\nområdet",
                                                  "Vestegnens"]
    # without the joining words every name ends at its line's end
    assert [text[s:e] for s, e, _ in tidy(text, spans[:1], is_party=lambda s: False)] == ["Center for Sundhed og"]


def test_a_source_mark_may_run_over_one_line_break():
    from referat.corpus.source import compile_source

    source = ("#% id: x\n#% municipality: Fjordby Kommune\n#% committee: Økonomiudvalget\n#% date: 2020-01-01\n"
              "#% kind: referat\n#% style: s\n#% ---\nFjordby Kommune\n#% item orientering | 1 | Meddelelser\n"
              "1. Meddelelser\nSagen er sendt til [Center for Børn og\nUnge](ORG) og [Ida Holm](PERSON) [udeladt]\n"
              "næste linje.\n")
    record = compile_source(source)
    assert [record["text"][e["start"]:e["end"]] for e in record["entities"]] == ["Center for Børn og\nUnge", "Ida Holm"]
    assert "[udeladt]\nnæste linje." in record["text"]
