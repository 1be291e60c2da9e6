"""The tokenizer's cache, filled before a memory zone opens.

spaCy's tokenizer splits each whitespace-delimited span of a text with its prefix, suffix and
infix expressions, then keeps the result in a cache keyed by the span, so a span it has seen
costs a lookup. It adds nothing to that cache inside a memory zone (the lexemes would be freed
with the zone), nor for the rest of a text once a special case ("kr.", "jf.", "1.") has been
met in it. The pipeline always runs inside a memory zone (see referat.api), so without help
every span of every text was split afresh: a fifth of the pipeline's time.

`referat train` stores the spans the training corpus repeats in the pipeline's vocabulary
(the lookups table `referat_tokenizer_cache`); `fill` tokenises them once, outside any zone,
when the pipeline is loaded. The tokens are the same as without the cache: a cached span gives
what splitting it gives.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable

TABLE = "referat_tokenizer_cache"
#: a span must occur this often in the training texts to be stored
MIN_COUNT = 2
#: the characters of text that repay filling the cache (a batch fills it whatever it reads)
REPAID_CHARS = 200_000
#: spans tokenised per call when filling (one text: a Doc per span would cost more than the split)
CHUNK = 2_000


def repeated_spans(texts: Iterable[str], tokenizer, min_count: int = MIN_COUNT) -> list[str]:
    """The whitespace-delimited spans seen at least `min_count` times in `texts`, most frequent
    first, leaving out those a special case tokenises (the tokenizer caches none of them, and
    one in a text stops the caching of the spans after it)."""
    counts = Counter(span for text in texts for span in text.split())
    rules = tokenizer.rules
    return [span for span, count in counts.most_common()
            if count >= min_count and span not in rules and not any(token.text in rules for token in tokenizer(span))]


def store(vocab, spans: list[str]) -> None:
    """Keep `spans` in the vocabulary's lookups (replacing an earlier list), so the saved
    pipeline carries them."""
    if vocab.lookups.has_table(TABLE):
        vocab.lookups.remove_table(TABLE)
    vocab.lookups.add_table(TABLE, {"spans": list(spans)})


def fill(nlp) -> int:
    """Tokenise the spans the pipeline carries, once per pipeline and outside any memory zone,
    so its tokenizer's cache holds them: about 0.1 s, which a text of some 200,000 characters
    repays. The number of spans tokenised (0 for a pipeline without the table, or filled)."""
    if nlp in _FILLED or nlp.vocab.in_memory_zone or not nlp.vocab.lookups.has_table(TABLE):
        return 0
    _FILLED.add(nlp)
    spans = nlp.vocab.lookups.get_table(TABLE).get("spans", [])
    for start in range(0, len(spans), CHUNK):
        nlp.tokenizer(" ".join(spans[start:start + CHUNK]))
    return len(spans)


_FILLED: "weakref.WeakSet" = weakref.WeakSet()
