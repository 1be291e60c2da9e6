"""The tokenizer's cache filled from the spans a training corpus repeats (referat.pipeline.tokenizer_cache)."""

import spacy

from referat.pipeline import tokenizer_cache
from referat.pipeline.assemble import blank_nlp, build_pipeline

MINUTES = [
    "Udvalget godkendte planen. Udgiften er 1,4 mio. kr., jf. budgettet.\nBeslutning\nGodkendt.",
    "Udvalget godkendte rammen for 2025. Beløbet er 300.000 kr., jf. aftalen.\nBeslutning\nGodkendt.",
    "Sagen sendes i høring hos ældrerådet (f.eks. om madordningen).\nBeslutning\nGodkendt.",
]


def test_repeated_spans_are_the_repeated_ones_most_frequent_first_without_special_cases():
    spans = tokenizer_cache.repeated_spans(MINUTES, blank_nlp().tokenizer)
    assert set(spans[:2]) == {"Beslutning", "Godkendt."}  # three times each
    assert {"Udvalget", "godkendte", "er"} <= set(spans[2:])
    assert "planen." not in spans and "høring" not in spans  # once only
    # a special case ("jf.", "kr.," holds "kr.") is not cached by spaCy: not stored
    assert "jf." not in spans and "kr.," not in spans


def test_min_count_is_the_threshold():
    spans = tokenizer_cache.repeated_spans(MINUTES, blank_nlp().tokenizer, min_count=3)
    assert sorted(spans) == ["Beslutning", "Godkendt."]


def _pipeline(spans):
    nlp = blank_nlp()
    tokenizer_cache.store(nlp.vocab, spans)
    return nlp


def test_filled_cache_gives_the_same_tokens_inside_a_memory_zone():
    text = MINUTES[0] + "\n" + MINUTES[2] + " Udvalget godkendte 12 sager, 3 af dem (Beslutning) senere."
    spans = tokenizer_cache.repeated_spans(MINUTES, blank_nlp().tokenizer, min_count=1)
    plain, filled = blank_nlp(), _pipeline(spans)
    assert tokenizer_cache.fill(filled) == len(spans) > 10
    with plain.memory_zone(), filled.memory_zone():
        expected = [(t.text, t.whitespace_) for t in plain.make_doc(text)]
        assert [(t.text, t.whitespace_) for t in filled.make_doc(text)] == expected


def test_fill_runs_once_outside_a_memory_zone_and_its_words_outlive_zones():
    nlp = _pipeline(["Forvaltningen", "indstiller,"])
    with nlp.memory_zone():
        assert tokenizer_cache.fill(nlp) == 0  # inside a zone its lexemes would be freed with it
        nlp.make_doc("Kvartalsrapporten foreligger")
    assert tokenizer_cache.fill(nlp) == 2
    assert tokenizer_cache.fill(nlp) == 0  # once per pipeline
    with nlp.memory_zone():
        nlp.make_doc("Forvaltningen indstiller, at Kvartalsrapporten tages til efterretning")
    assert "Forvaltningen" in nlp.vocab.strings and "Kvartalsrapporten" not in nlp.vocab.strings


def test_a_pipeline_without_the_table_is_left_alone():
    assert tokenizer_cache.fill(blank_nlp()) == 0


def test_the_spans_are_saved_with_the_pipeline(tmp_path, configs):
    nlp = build_pipeline(configs, tokenizer_spans=["Sagsfremstilling", "Indstilling"], entity_ruler=False, rules=False)
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.vocab.lookups.get_table(tokenizer_cache.TABLE)["spans"] == ["Sagsfremstilling", "Indstilling"]
    assert tokenizer_cache.fill(loaded) == 2
