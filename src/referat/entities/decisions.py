"""Decisions and votes of an agenda item: outcome, votes, minority statements, absence.

Plain Python over data: every phrasing lives in ``configs/decisions.toml``; this module only
compiles it once (:class:`DecisionRules`) and applies it. The text of a decision is split into
sentences (not inside quotes), and each sentence is read by regular expressions, so the work is
linear in the text.

Outcomes (the value of ``"outcome"``; ``None`` when no known phrasing matches -- never a guess):

=========================  ===============================================================
``godkendt``               approved, adopted, granted ("Godkendt.", "Udvalget godkendte ...")
``anbefalet``              recommended to a higher body ("Anbefales over for Byrådet.")
``taget_til_efterretning`` noted only ("Taget til efterretning.")
``drøftet``                discussed, nothing decided ("Drøftet.")
``afvist``                 rejected ("Indstillingen blev ikke godkendt.", "... forkastet.")
``udsat``                  postponed ("Udsat.", "Sagen udsættes.")
``trukket``                withdrawn ("Sagen blev trukket.")
``oversendt``              sent on without a recommendation ("Oversendes til Byrådet.")
``ikke_afgjort``           no decision reached ("stemmelighed", "sendes tilbage til ...")
=========================  ===============================================================

Inside a sentence and across sentences the highest ``rank`` wins, and between equals the one
printed first ("Godkendt og anbefalet" is godkendt); two outcomes read at the same place go to the
TOML's order (negations first: "godkendte ikke" is afvist). A sentence about a side proposal
("ændringsforslag") decides only when no other sentence does. ``amended`` is True for
"med den ændring", "med følgende ændring/tilføjelse" and also for "Godkendt, idet ...": an "idet"
clause attaches a condition or addition the recommendation did not hold. A bare remark
("med bemærkning om") is not an amendment, and a sentence that reports a vote, an absence or a
statement ("Imod stemte: O, idet ...") is not read for it.

Votes: each entry is ``{"party", "party_name", "name", "count"}``; ``count`` is a number printed
for that entry ("Undlod at stemme: I (1)"). A total that the minutes do not split by voter
("For stemte: A, F og Ø (15)", "Med stemmerne 19 for og 1 imod") is kept as an entry with only a
count, so the printed tally of a side is the sum of its counts.

    >>> import tomllib
    >>> rules = DecisionRules.load("configs/decisions.toml")
    >>> text = "Beslutning\\nGodkendt. V stemte imod."
    >>> item = {"start": 0, "end": len(text), "sections": [
    ...     {"name": "beslutning", "heading": "Beslutning", "start": 0, "end": len(text)}]}
    >>> [(d["outcome"], d["votes"]["against"][0]["party"]) for d in extract_decisions(text, item, rules)]
    [('godkendt', 'V')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from referat.errors import ReferatError
from referat.structure.dates import find_date

try:  # the party table is moving into this package
    from referat.entities.parties import PartyTable
except ImportError:  # pragma: no cover - older layout
    from referat.parties import PartyTable

__all__ = ["DecisionRules", "DecisionRulesError", "DecisionInputError", "extract_decisions",
           "decision_from_text", "OUTCOMES"]


#: The outcome names a decision can have (besides None).
OUTCOMES = ("godkendt", "anbefalet", "taget_til_efterretning", "drøftet", "afvist", "udsat",
            "trukket", "oversendt", "ikke_afgjort")

_SIDES = ("for", "against", "abstain")
_FLAGS = re.IGNORECASE
_QUOTES = "\"\u201c\u201d\u201e\u00ab\u00bb"
_EDGE = " \t\r\n\u00a0.;:,"
# A party letter (national or a local list like "UP" or "UP-1"); case-sensitive by nature.
_CODE = r"[A-ZÆØÅ]{1,3}(?:-\d{1,2})?"
_CODE_FORM = re.compile(r"\(?(" + _CODE + r")\)?")
_NAMED_CODE = re.compile(r"(?P<name>.+?)\s*(?:\(\s*(?P<code>[^()]{1,40}?)\s*\)|\s+fra\s+\(?(?P<code2>[^()]{1,40}?)\)?)")
_PERSON = re.compile(r"[A-ZÆØÅ][\w'\u2019-]+(?:\s+(?:[A-ZÆØÅ][\w'\u2019-]*\.?|von|van|de|la))+")
_COUNT_TAIL = re.compile(r"\s*(?:\(\s*(\d+)\s*(?:stemmer)?\s*\)|\s(\d+)\s*(?:stemmer)?)$")
_BARE_COUNT = re.compile(r"\(?\s*(\d+)\s*(?:stemmer)?\s*\)?")
_BOUNDARY = re.compile(
    r"(?<=[.!?])\s+(?=[A-ZÆØÅ(\d\"\u201c\u201d\u201e\u00ab])"  # end of a sentence
    r"|\n[ \t]*\n\s*"                                            # blank line
    r"|(?<=[^,;:\s-])[ \t]*\n\s*(?=[A-ZÆØÅ(])"                  # a new line starting a sentence
)


class DecisionRulesError(ReferatError):
    """The decision rules (configs/decisions.toml) are missing a key or hold a bad pattern."""


class DecisionInputError(ReferatError):
    """The text or item given to :func:`extract_decisions` is not usable."""


# ------------------------------------------------------------------------------------ rules


def _compile(patterns: object, where: str, flags: int = _FLAGS) -> re.Pattern | None:
    """One regex from a list of fragments (or None for an empty list)."""
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise DecisionRulesError(f"{where} must be a list of regular expressions")
    if not patterns:
        return None
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), flags)
    except re.error as error:
        raise DecisionRulesError(f"bad pattern in {where}: {error}") from None


def _keywords(groups: dict[str, list[str]], where: str) -> tuple[re.Pattern, tuple[str, ...]] | None:
    """One regex over all keyword lists, and for each of its groups the key of ``groups`` it
    belongs to. Longer fragments come first, so "undlod at stemme:" wins over "undlod at stemme"."""
    fragments = []
    for key, values in groups.items():
        _compile(values, f"{where}.{key}")  # each list checked on its own, for a clear error
        fragments.extend((value, key) for value in values)
    if not fragments:
        return None
    fragments.sort(key=lambda f: -len(f[0]))
    alternation = "|".join(f"(?P<k{i}>{value})" for i, (value, _) in enumerate(fragments))
    pattern = re.compile(r"(?<!\w)(?:" + alternation + r")(?:(?<=\W)|(?!\w))", _FLAGS)
    return pattern, tuple(key for _, key in fragments)


def _kind(match: re.Match, keys: tuple[str, ...]) -> str:
    """The keyword list a match of a :func:`_keywords` pattern came from."""
    return keys[int(match.lastgroup[1:])]


def _get(data: dict, path: str, kind: type = list):
    value: object = data
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise DecisionRulesError(f"decision rules lack '{path}'")
        value = value[key]
    if not isinstance(value, kind):
        raise DecisionRulesError(f"'{path}' in the decision rules must be a {kind.__name__}")
    return value


@dataclass(frozen=True)
class _Outcome:
    name: str
    rank: int
    pattern: re.Pattern | None
    weak: re.Pattern | None = None  # loses to an outcome of the same rank read in the sentence


@dataclass(frozen=True)
class DecisionRules:
    """The phrasings of decisions, compiled once from the TOML's dict."""

    outcomes: tuple[_Outcome, ...]
    secondary: re.Pattern | None
    amended: re.Pattern | None
    outcome_cut: re.Pattern | None
    votes: tuple[re.Pattern, tuple[str, ...]] | None   # kinds: for_after, for_before, ...
    majority: re.Pattern | None
    minority: re.Pattern | None
    totals: tuple[re.Pattern, ...]
    separators: re.Pattern
    voter_suffix: re.Pattern | None
    not_voters: frozenset[str]
    clause_start: re.Pattern | None
    dissent: tuple[re.Pattern, tuple[str, ...]] | None  # kinds: before, after
    absent: tuple[re.Pattern, tuple[str, ...]] | None   # kinds: before, after
    headings: tuple[re.Pattern, ...]
    generic_bodies: frozenset[str]
    inline: re.Pattern
    lowercase_words: frozenset[str] = frozenset()
    not_decision: re.Pattern | None = None

    @classmethod
    def from_dict(cls, data: dict) -> DecisionRules:
        """The rules from ``tomllib.loads(configs/decisions.toml)``."""
        if not isinstance(data, dict):
            raise DecisionRulesError("decision rules must be a table (dict)")
        outcomes = []
        for index, entry in enumerate(_get(data, "outcome")):
            if not isinstance(entry, dict) or entry.get("name") not in OUTCOMES:
                raise DecisionRulesError(f"outcome {index} needs a name, one of {', '.join(OUTCOMES)}")
            rank = entry.get("rank", 1)
            if not isinstance(rank, int):
                raise DecisionRulesError(f"outcome {entry['name']}: rank must be an integer")
            pattern = _compile(entry.get("patterns", []), f"outcome {entry['name']}")
            weak = _compile(entry.get("weak_patterns", []), f"outcome {entry['name']} weak_patterns")
            if pattern is not None or weak is not None:
                outcomes.append(_Outcome(entry["name"], rank, pattern, weak))
        vote_groups = {}
        for side in _SIDES:
            for direction in ("after", "before"):
                vote_groups[f"{side}_{direction}"] = _get(data, f"votes.{side}.{direction}")
        phrases = _get(data, "vote_phrases", dict)
        totals = []
        for index, fragment in enumerate(_get(data, "vote_phrases.totals")):
            compiled = _compile([fragment], f"vote_phrases.totals[{index}]")
            if "for" not in compiled.groupindex:
                raise DecisionRulesError("each vote_phrases.totals pattern needs a (?P<for>...) group")
            totals.append(compiled)
        for key in ("majority", "minority"):
            for fragment in phrases.get(key, []):
                if "(?P<who>" not in fragment:
                    raise DecisionRulesError(f"each vote_phrases.{key} pattern needs a (?P<who>...) group")
        headings = []
        for index, fragment in enumerate(_get(data, "heading.patterns")):
            compiled = _compile([fragment], f"heading.patterns[{index}]", 0)
            if "body" not in compiled.groupindex:
                raise DecisionRulesError("each heading pattern needs a (?P<body>...) group")
            headings.append(compiled)
        inline = _compile([_get(data, "heading.inline", str)], "heading.inline", re.MULTILINE)
        if "head" not in inline.groupindex:
            raise DecisionRulesError("heading.inline needs a (?P<head>...) group")
        suffixes = _get(data, "vote_phrases.voter_suffixes")
        return cls(
            outcomes=tuple(outcomes),
            secondary=_compile(_get(data, "reading.secondary"), "reading.secondary"),
            amended=_compile(_get(data, "reading.amended"), "reading.amended"),
            outcome_cut=_compile(_get(data, "reading.outcome_cut"), "reading.outcome_cut"),
            votes=_keywords(vote_groups, "votes"),
            majority=_compile(phrases.get("majority", []), "vote_phrases.majority"),
            minority=_compile(phrases.get("minority", []), "vote_phrases.minority"),
            totals=tuple(totals),
            separators=_compile(_get(data, "vote_phrases.list_separators"), "vote_phrases.list_separators")
            or re.compile(","),
            voter_suffix=_compile([r"\s+(?:" + "|".join(re.escape(s) for s in suffixes) + r")$"],
                                  "vote_phrases.voter_suffixes") if suffixes else None,
            not_voters=frozenset(w.casefold() for w in _get(data, "vote_phrases.not_voters")),
            clause_start=_compile(_get(data, "vote_phrases.clause_starts"), "vote_phrases.clause_starts"),
            dissent=_keywords({"before": _get(data, "dissent.before"),
                               "after": _get(data, "dissent.after")}, "dissent"),
            absent=_keywords({"before": _get(data, "absent.before"),
                              "after": _get(data, "absent.after")}, "absent"),
            headings=tuple(headings),
            generic_bodies=frozenset(w.casefold() for w in _get(data, "heading.generic_bodies")),
            inline=inline,
            lowercase_words=frozenset(w.casefold() for w in _get(data, "heading.lowercase_words")),
            not_decision=_compile(_get(data, "reading.not_decision"), "reading.not_decision"),
        )

    @classmethod
    def load(cls, path: str | Path) -> DecisionRules:
        """The rules in the decisions.toml at ``path`` (configs/decisions.toml is the source; a
        pipeline carries its own copy in referat_decisions/)."""
        import tomllib

        path = Path(path)
        try:
            return cls.from_dict(tomllib.loads(path.read_text(encoding="utf-8")))
        except OSError as error:
            raise DecisionRulesError(f"cannot read decision rules {path}: {error.strerror}") from None
        except tomllib.TOMLDecodeError as error:
            raise DecisionRulesError(f"decision rules {path} are not valid TOML: {error}") from None


# ------------------------------------------------------------------------------------ helpers


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, stripped; no split inside quotes
    (unless the quotes do not pair up)."""
    end = len(text) if end is None else end
    quotes = [i for i in range(start, end) if text[i] in _QUOTES]
    use_quotes = len(quotes) % 2 == 0
    spans, cursor, q = [], start, 0
    for match in _BOUNDARY.finditer(text, start, end):
        if use_quotes:
            while q < len(quotes) and quotes[q] < match.start():
                q += 1
            if q % 2 == 1 and "\n\n" not in match.group().replace(" ", ""):
                continue  # inside a quotation
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result


class _Reader:
    """Parses voters, names and parties with the rules, the party table and the members."""

    def __init__(self, rules: DecisionRules, parties: PartyTable, members: Iterable[dict]):
        self.rules = rules
        self.parties = parties
        self.members: dict[str, dict] = {}
        for member in members or ():
            name = member.get("name") if isinstance(member, dict) else None
            if isinstance(name, str) and name.strip():
                self.members[" ".join(name.split()).casefold()] = member

    def party(self, form: str) -> tuple[str | None, str | None]:
        """(code, name) of a written party form; a code-like form not in the table is kept."""
        form = form.strip(_EDGE + "()")
        party = self.parties.party(form)
        if party is not None:
            return party.code, party.name
        if re.fullmatch(_CODE, form):
            return form, None
        return None, None

    def member_party(self, name: str) -> tuple[str | None, str | None]:
        member = self.members.get(" ".join(name.split()).casefold())
        if not member:
            return None, None
        code = member.get("party")
        party_name = member.get("party_name") or (self.parties.name(code) if code else None)
        return code, party_name

    def voter(self, piece: str) -> dict | None:
        """The voter a whole piece of a list is ("Ali Jensen (Ø)", "(V)", "Venstre", a member)."""
        piece = " ".join(piece.split()).strip(_EDGE)
        if self.rules.voter_suffix is not None:
            piece = self.rules.voter_suffix.sub("", piece).strip(_EDGE)
        if not piece or piece.casefold() in self.rules.not_voters:
            return None
        code_match = _CODE_FORM.fullmatch(piece)
        if code_match:
            code, name = self.party(code_match[1])
            return _entry(code, name, None)
        party = self.parties.party(piece)
        if party is not None:
            return _entry(party.code, party.name, None)
        if piece.casefold() in self.members:
            code, name = self.member_party(piece)
            return _entry(code, name, " ".join(piece.split()))
        named = _NAMED_CODE.fullmatch(piece)
        if named and _PERSON.fullmatch(named["name"].strip()):
            code, name = self.party(named["code"] or named["code2"])
            if code is None:
                return None
            person = named["name"].strip()
            if name is None and code == self.member_party(person)[0]:
                name = self.member_party(person)[1]
            return _entry(code, name, person)
        if _PERSON.fullmatch(piece) and piece.split()[0].casefold() not in self.rules.not_voters:
            code, name = self.member_party(piece)
            return _entry(code, name, piece)
        return None

    def voters(self, chunk: str, backwards: bool = False) -> list[dict]:
        """The voters of a list. Read forwards, the list ends at the first piece that is not a
        voter; read backwards (voters before a keyword), it starts after the last such piece.
        A count after a single voter is that voter's; after several, it is a total."""
        if backwards and self.rules.clause_start is not None:
            cut = None
            for cut in self.rules.clause_start.finditer(chunk):
                pass
            if cut is not None:
                chunk = chunk[cut.end():]
        if ":" in chunk:
            chunk = chunk.rsplit(":", 1)[1] if backwards else chunk
        pieces = [p for p in self.rules.separators.split(chunk)]
        if backwards:
            pieces.reverse()
        found: list[dict] = []
        for index, raw in enumerate(pieces):
            piece = " ".join(raw.split()).strip(_EDGE)
            if not piece:
                continue
            count = None
            tail = _COUNT_TAIL.search(piece)
            bare = _BARE_COUNT.fullmatch(piece)
            if bare:
                found.append(_entry(None, None, None, int(bare[1])))
                continue
            if tail:
                count = int(tail[1] or tail[2])
                piece = piece[: tail.start()]
            entry = self.voter(piece)
            if entry is None:
                entry = self._partial(piece, backwards)
                if entry is not None:
                    entry["count"] = count
                    found.append(entry)
                break
            entry["count"] = count
            found.append(entry)
            printed = _CODE_FORM.fullmatch(piece)
            if printed and entry["party"] and printed[1] != entry["party"]:
                entry[_PRINTED] = printed[1]  # settled by _settle_letters once the decision is read
        if backwards:
            found.reverse()
        counted = [e for e in found if e["count"] is not None and e["name"] is None and e["party"] is None]
        with_count = [e for e in found if e["count"] is not None and (e["party"] or e["name"])]
        if len(found) > 1 and len(with_count) == 1 and found[-1] is with_count[0] and not counted:
            total = found[-1]["count"]
            found[-1]["count"] = None
            found.append(_entry(None, None, None, total))
        return found

    def _partial(self, piece: str, backwards: bool) -> dict | None:
        """A voter at the start (forwards) or end (backwards) of a piece with other words:
        "(F) med bemærkning om" -> F; "mens V" -> V. Only bracketed or bare party letters."""
        if backwards:
            match = re.search(r"(?:^|\s)\(?(" + _CODE + r")\)?$", piece)
        else:
            match = re.match(r"\(?(" + _CODE + r")\)?(?=\s)", piece)
        if not match:
            return None
        code, name = self.party(match[1])
        return _entry(code, name, None) if code else None


_PRINTED = "_printed"


def _settle_letters(votes: dict[str, list[dict]]) -> None:
    """"For stemte: Ø og A. Imod stemte: V og S": where a letter the party table reads as another
    party's short form (S for A) is printed in a decision that also prints that party's own letter,
    it is a local list's letter and is kept as printed. Removes the printed forms afterwards."""
    entries = [entry for side in votes.values() for entry in side]
    own = {entry["party"] for entry in entries if entry["party"] and _PRINTED not in entry}
    for entry in entries:
        form = entry.pop(_PRINTED, None)
        if form and entry["party"] in own:
            entry["party"], entry["party_name"] = form, None


def _entry(party: str | None, party_name: str | None, name: str | None, count: int | None = None) -> dict:
    return {"party": party, "party_name": party_name, "name": name, "count": count}


def _add(side: list[dict], entries: Iterable[dict]) -> None:
    for entry in entries:
        if entry not in side:
            side.append(entry)


# ------------------------------------------------------------------------------------ reading


def _heading_body(heading: str, rules: DecisionRules) -> tuple[str | None, str | None]:
    """(body, ISO date) of a decision heading as printed."""
    found = find_date(heading)
    date = found[0] if found else None
    cut = heading[: found[1]] if found else heading
    for pattern in rules.headings:
        match = pattern.match(" ".join(cut.split()))
        if match and match["body"]:
            body = re.sub(r"\s+(?i:den|d\.)$", "", match["body"].strip(_EDGE + "-–")).strip(_EDGE + "-–")
            if body and body.casefold() not in rules.generic_bodies:
                return _printed_case(body, rules), date
            return None, date
    return None, date


def _printed_case(body: str, rules: DecisionRules) -> str:
    """A body printed in capitals in its ordinary case: "KULTUR- OG TURISMEUDVALGET" is
    "Kultur- og Turismeudvalget" (small words lower case, every other word capitalised)."""
    if not body.isupper() or len(body) < 4:
        return body
    return " ".join(word.lower() if word.lower() in rules.lowercase_words else word.capitalize()
                    for word in body.split())


def _outcome_of(sentence: str, rules: DecisionRules) -> _Outcome | None:
    def first(text: str) -> _Outcome | None:
        # the strongest outcome the sentence states; between equals the one printed first, and
        # at the same place the first in the TOML ("godkendte ikke" is afvist, not godkendt)
        # a weak pattern loses to an outcome of the same rank ("Udvalget besluttede, at sagen
        # sendes tilbage" is ikke_afgjort), not to a lower one ("drøftede og besluttede, at" is godkendt)
        found = []
        for order, outcome in enumerate(rules.outcomes):
            for weak, pattern in enumerate((outcome.pattern, outcome.weak)):
                match = pattern.search(text) if pattern is not None else None
                if match:
                    found.append((-outcome.rank, weak, match.start(), order, outcome))
        return min(found, key=lambda row: row[:4])[4] if found else None

    if rules.outcome_cut is not None:
        cut = rules.outcome_cut.search(sentence)
        if cut and cut.start() > 0:
            found = first(sentence[: cut.start()])
            if found is not None:
                return found
    return first(sentence)


def _masked(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with the parts inside ``spans`` blanked (same length)."""
    if not any(a < end and start < b for a, b in spans):
        return text[start:end]
    return "".join(" " if any(a <= i < b for a, b in spans) else text[i] for i in range(start, end))


def decision_from_text(text: str, start: int, end: int, rules: DecisionRules, *, body: str | None = None,
                       date: str | None = None, members: Sequence[dict] = (),
                       parties: PartyTable | None = None) -> dict:
    """The decision read from ``text[start:end]`` (the decision's own text, heading excluded)."""
    reader = _Reader(rules, parties or _default_parties(), members)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    votes: dict[str, list[dict]] = {side: [] for side in _SIDES}
    dissent: list[dict] = []
    absent: list[dict] = []
    statements: list[tuple[int, int]] = []  # minority statements, not read for the outcome
    spans = sentences(text, start, end)

    reports: set[int] = set()  # sentences that only report a vote, an absence or a statement
    for index, (s, e) in enumerate(spans):
        sentence = text[s:e]
        read = (sum(map(len, votes.values())), len(dissent), len(absent))
        _read_dissent(text, sentence, s, end, rules, reader, dissent, statements)
        sentence = _masked(text, s, e, statements)  # a statement's words are not votes
        _read_absent(sentence, rules, reader, absent)
        _read_votes(sentence, rules, reader, votes)
        if (sum(map(len, votes.values())), len(dissent), len(absent)) != read:
            reports.add(index)

    best: tuple[int, int, _Outcome] | None = None
    fallback: _Outcome | None = None
    amended = False
    for index, (s, e) in enumerate(spans):
        sentence = _masked(text, s, e, statements)
        if rules.not_decision is not None and rules.not_decision.search(sentence):
            continue
        outcome = _outcome_of(sentence, rules)
        # "Imod stemte: O, idet ..." gives a reason for a vote, it does not amend the decision
        if rules.amended is not None and (outcome is not None or index not in reports):
            amended = amended or bool(rules.amended.search(sentence))
        if outcome is None:
            continue
        if rules.secondary is not None and rules.secondary.search(sentence):
            fallback = fallback or outcome
            continue
        if best is None or outcome.rank > best[0]:
            best = (outcome.rank, index, outcome)
    outcome = best[2] if best else fallback
    _settle_letters(votes)
    decided = text[start:end]
    return {
        "body": body,
        "date": date,
        "text": decided,
        "start": start,
        "end": end,
        "outcome": outcome.name if outcome else None,
        "amended": amended,
        "votes": votes,
        "dissent": dissent,
        "absent": absent,
    }


def _read_votes(sentence: str, rules: DecisionRules, reader: _Reader, votes: dict[str, list[dict]]) -> None:
    masked = []
    for pattern in rules.totals:
        for match in pattern.finditer(sentence):
            if any(a < match.end() and match.start() < b for a, b in masked):
                continue
            masked.append((match.start(), match.end()))
            groups = match.groupdict()
            for side, key in (("for", "for"), ("against", "against"), ("abstain", "abstain")):
                value = groups.get(key)
                if value and value.isdigit():
                    _add(votes[side], [_entry(None, None, None, int(value))])
                who = groups.get(f"{key}_who")
                if who:
                    _add(votes[side], [v for v in reader.voters(who) if v["party"] or v["name"]])
    for pattern, side in ((rules.majority, "for"), (rules.minority, "against")):
        if pattern is None:
            continue
        for match in pattern.finditer(sentence):
            _add(votes[side], reader.voters(match["who"]))
    if rules.votes is None:
        return
    pattern, keys = rules.votes
    hits = [m for m in pattern.finditer(sentence) if not any(a <= m.start() < b for a, b in masked)]
    kinds = [_kind(m, keys) for m in hits]
    for index, hit in enumerate(hits):
        side, direction = kinds[index].rsplit("_", 1)
        if direction == "after":
            stop = hits[index + 1].start() if index + 1 < len(hits) else len(sentence)
            chunk = sentence[hit.end():stop]
            if index + 1 < len(hits) and kinds[index + 1].endswith("_before") and "," in chunk:
                chunk = chunk.rsplit(",", 1)[0]  # the last piece is the next keyword's
            _add(votes[side], reader.voters(chunk))
        else:
            begin = hits[index - 1].end() if index > 0 else 0
            chunk = sentence[begin:hit.start()]
            if index > 0 and kinds[index - 1].endswith("_after"):
                chunk = chunk.rsplit(",", 1)[1] if "," in chunk else ""
            _add(votes[side], reader.voters(chunk, backwards=True))


def _read_dissent(text: str, sentence: str, offset: int, end: int, rules: DecisionRules, reader: _Reader,
                  dissent: list[dict], statements: list[tuple[int, int]]) -> None:
    if rules.dissent is None:
        return
    pattern, keys = rules.dissent
    for hit in pattern.finditer(sentence):
        kind = _kind(hit, keys)
        rest = sentence[hit.end():]
        if kind == "after":
            who_text, _, _ = rest.partition(":")
            who = reader.voters(who_text)
        else:
            before = sentence[: hit.start()]
            if rules.votes is not None:
                before = rules.votes[0].sub(" ", before)
            who = reader.voters(before, backwards=True)
        who = [w for w in who if w["party"] or w["name"]]
        if not who:
            continue
        colon = re.match(r"[^:\n]{0,60}?:", rest) if kind == "after" else re.match(r"\s*:", rest)
        if colon:
            s = offset + hit.end() + colon.end()
            line_end = text.find("\n", s, end)
            e = line_end if line_end != -1 else end
        else:
            s, e = offset + hit.start(), offset + len(sentence)
        statement = text[s:e].strip(" \t\r\n")
        if not statement:
            continue
        statements.append((s, e))
        for person in who:
            item = {"party": person["party"], "party_name": person["party_name"], "name": person["name"],
                    "text": statement}
            if item not in dissent:
                dissent.append(item)


def _read_absent(sentence: str, rules: DecisionRules, reader: _Reader, absent: list[dict]) -> None:
    if rules.absent is None:
        return
    pattern, keys = rules.absent
    hits = list(pattern.finditer(sentence))
    for index, hit in enumerate(hits):
        if _kind(hit, keys) == "after":
            stop = hits[index + 1].start() if index + 1 < len(hits) else len(sentence)
            found = reader.voters(sentence[hit.end():stop])
        else:
            begin = hits[index - 1].end() if index > 0 else 0
            found = reader.voters(sentence[begin:hit.start()], backwards=True)
        for person in found:
            if not (person["name"] or person["party"]):
                continue
            entry = {"name": person["name"], "party": person["party"]}
            if entry not in absent:
                absent.append(entry)




def _default_parties() -> PartyTable:
    """The party table of the shipped pipeline (callers in a pipeline pass its own)."""
    from referat.lexicon import Lexicon

    return Lexicon.shipped().parties


def _check(text: object, item: object) -> tuple[int, int]:
    if not isinstance(text, str):
        raise DecisionInputError(f"the text must be a string, not {type(text).__name__}")
    if not isinstance(item, dict):
        raise DecisionInputError(f"an item must be a dict like Item.to_dict(), not {type(item).__name__}")
    start, end = item.get("start", 0), item.get("end", len(text))
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
        raise DecisionInputError(f"item offsets {start!r}..{end!r} are not inside the text ({len(text)} characters)")
    return start, end


def extract_decisions(text: str, item: dict, rules: DecisionRules, *, members: Sequence[dict] = (),
                      parties: PartyTable | None = None) -> list[dict]:
    """Every decision of one item, in order: one per beslutning section (one per deciding body),
    or the inline "Beslutning: ..." line of an item without such a section; [] when it has none.

    ``item`` is shaped like ``Item.to_dict()``; ``members`` are the meeting's members
    ``{name, party, party_name}``; ``parties`` a PartyTable (default: the shipped one)."""
    item_start, item_end = _check(text, item)
    if not isinstance(rules, DecisionRules):
        raise DecisionInputError("rules must be a DecisionRules (DecisionRules.from_dict(...))")
    parties = parties or _default_parties()
    decisions = []
    sections = [s for s in item.get("sections") or [] if isinstance(s, dict) and s.get("name") == "beslutning"]
    for section in sorted(sections, key=lambda s: s.get("start", 0)):
        start, end = section.get("start"), section.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
            raise DecisionInputError(f"section offsets {start!r}..{end!r} are not inside the text")
        heading = section.get("heading") or ""
        start = _skip_heading(text, start, end, heading)
        body, date = _heading_body(heading, rules)
        decision = decision_from_text(text, start, end, rules, body=body, date=date, members=members,
                                      parties=parties)
        if decision["text"]:
            decisions.append(decision)
    if sections:
        return decisions
    for match in rules.inline.finditer(text, item_start, item_end):
        line_end = text.find("\n", match.end(), item_end)
        end = item_end if line_end == -1 else line_end
        body, date = _heading_body(match["head"], rules)
        decision = decision_from_text(text, match.end(), end, rules, body=body, date=date, members=members,
                                      parties=parties)
        if decision["text"]:
            decisions.append(decision)
    return decisions


def _skip_heading(text: str, start: int, end: int, heading: str) -> int:
    """The offset after the section's heading (and its colon), if the section starts with it."""
    position = start
    while position < end and text[position].isspace():
        position += 1
    words = heading.split()
    if not words:
        return start
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words) + r"[ \t]*:?", re.IGNORECASE)
    match = pattern.match(text, position, end)
    return match.end() if match else start
