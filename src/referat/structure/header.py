"""The meeting header: municipality, committee, date, time, place, kind, members, absent."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from referat.analysis import Item, Meeting, Member
from referat.structure.dates import find_date, find_time
from referat.structure.lines import BLANKS, Line
from referat.structure.styles import StyleTable

_PARTY_CODE = r"[A-ZÆØÅ]{1,2}"
# "Name (A)", "Name (A) (formand)", "Name (A), formand"
_MEMBER_PAREN = re.compile(r"(?P<name>[^,;()\n]+?)[ \t\u00a0]*\((?P<party>" + _PARTY_CODE + r")\)")
# "Name, V" alone on a line, "Name - V", "Name: V"
_MEMBER_TRAIL = re.compile(r"^(?P<name>[^,;()\n]+?)[ \t\u00a0]*[,:\-–][ \t\u00a0]*(?P<party>" + _PARTY_CODE + r")\.?$")
# "Name (Venstre)", "Name, Socialdemokratiet": a party written out, alone on the line
_MEMBER_WRITTEN = re.compile(r"^(?P<name>[^,;()\n]+?)[ \t\u00a0]*(?:\((?P<p1>[^()\n]{2,40})\)|[,–\-][ \t\u00a0]*(?P<p2>[^,;()\n]{2,40}))$")
_NAME = re.compile(r"^[A-ZÆØÅÉÜÖÄ][\w.'\-]*(?:[ \u00a0]+(?:[A-ZÆØÅÉÜÖÄ][\w.'\-]*|von|van|de|la|af|du))+$")
_LABEL = re.compile(r"^[ \t\u00a0]*(?P<label>[A-Za-zÆØÅæøå .]{2,40}?)[ \t\u00a0]*:[ \t\u00a0]*(?P<value>.*)$")


def _labelled(lines: list[Line]) -> list[tuple[str, str, int]]:
    """(label in lower case, value, line index) for every "Label: value" line."""
    found = []
    for line in lines:
        match = _LABEL.match(line.text)
        if match:
            found.append((" ".join(match["label"].lower().split()), match["value"].strip(BLANKS), line.index))
    return found


def _is_name(text: str) -> bool:
    return bool(_NAME.match(text)) and len(text) <= 60


def _clean_name(text: str, lexicon=None) -> str:
    """The name without the roles printed beside it ("Anne Holm, formand" -> "Anne Holm")."""
    text = text.strip(BLANKS + ",;-–:")
    if lexicon is not None:
        text = " ".join(word for word in text.split() if word.lower().strip(",.()") not in lexicon.roles)
    text = text.strip(BLANKS + ",;-–:")
    return " ".join(text.split())


@lru_cache(maxsize=4)
def _role_before_party(roles: frozenset[str]) -> re.Pattern:
    """", formand" / ", 1. viceborgmester" between a member's name and "(A)" (compiled once per lexicon)."""
    words = "|".join(sorted(map(re.escape, roles), key=len, reverse=True))
    return re.compile(r"[ \t\u00a0]*,[ \t\u00a0]*(?:\d{1,2}\.[ \t\u00a0]*)?(?i:" + words + r")\b(?=[ \t\u00a0]*\()")


def parse_people(value: str, lexicon=None) -> list[Member]:
    """Members from one line's value: "Name (A), Name (C)", "Name, V", "Name, Name".
    `lexicon` (referat.lexicon.Lexicon) gives the party names and the role words."""
    parties = lexicon.parties if lexicon is not None else None
    people = []
    if lexicon is not None and lexicon.roles:
        # "Anne Holm, formand (A)", "Ole Sand, 1. viceborgmester (V)": the role between the name
        # and the party goes, so the party stays with the name
        value = _role_before_party(lexicon.roles).sub("", value)
    hits = list(_MEMBER_PAREN.finditer(value))
    if hits:
        for hit in hits:  # "Anne Holm (A) og Ole Berg (V)": the joining word is not a name
            name = _clean_name(re.sub(r"^[ \t\u00a0]*(?:og|samt|&)[ \t\u00a0]+", "", hit["name"]), lexicon)
            if _is_name(name):
                people.append(Member(name, hit["party"], _party_name(hit["party"], parties)))
        return people
    trail = _MEMBER_TRAIL.match(value.strip(BLANKS))
    if trail and _is_name(_clean_name(trail["name"], lexicon)):
        party = trail["party"]
        return [Member(_clean_name(trail["name"], lexicon), party, _party_name(party, parties))]
    # the party written out: "Name (Venstre)", "Name, Socialdemokratiet"
    written = _MEMBER_WRITTEN.match(value.strip(BLANKS))
    if written and parties is not None and _is_name(_clean_name(written["name"], lexicon)):
        code = parties.code(written["p1"] or written["p2"])
        if code:
            return [Member(_clean_name(written["name"], lexicon), code, parties.name(code))]
    for part in re.split(r"[,;]| og ", value):
        name = _clean_name(part, lexicon)
        if _is_name(name):
            people.append(Member(name))
    return people


def _party_name(code: str, parties) -> str | None:
    if parties is None:
        return None
    return parties.name(code)


def _people_after(lines: list[Line], index: int, value: str, stop_labels: set[str], lexicon) -> list[Member]:
    """People given on a label's line, or on the lines under it up to a blank line or label."""
    if value:
        return parse_people(value, lexicon)
    people: list[Member] = []
    for line in lines[index + 1:index + 60]:
        stripped = line.stripped
        if not stripped:
            if people:
                break
            continue
        label = _LABEL.match(line.text)
        if label and " ".join(label["label"].lower().split()) in stop_labels:
            break
        found = parse_people(stripped, lexicon)
        if not found:
            break
        people.extend(found)
    return people


def _committee_name(words: list[str], committee_words: tuple[str, ...]) -> str | None:
    """The committee name ending a run of words: "mødet i Teknik- og Miljøudvalget" -> the name."""
    for end in range(len(words) - 1, -1, -1):
        word = words[end].strip(BLANKS + ",.;:")
        lower = word.lower()
        if not (lower.endswith(committee_words) and word[:1].isupper()):
            continue
        start = end
        while start > 0:
            previous = words[start - 1].strip(BLANKS)
            if previous.endswith(("-", "-,")) or (previous == "og" and start > 1 and words[start - 2].endswith(("-", "-,"))):
                start -= 1
            else:
                break
        return " ".join(w.strip(BLANKS) for w in words[start:end] + [word])
    return None


def find_committee(lines: list[Line], labelled, styles: StyleTable, items: list[Item], text: str) -> str | None:
    committee_words = tuple(w.lower() for w in styles.header["committee_words"])
    labels = set(styles.header["committee_labels"])
    for label, value, _ in labelled:
        if label in labels and value:
            return value
    for line in lines:
        stripped = line.stripped
        if stripped and len(stripped) <= 120:
            name = _committee_name(stripped.split(), committee_words)
            if name:
                return name
    for item in items:
        for section in item.sections:
            if section.name == "beslutning" and section.heading.lower().startswith("beslutning i "):
                name = _committee_name(section.heading.split()[2:], committee_words)
                words = section.heading.split()[2:]
                if " den " in f" {' '.join(words)} ":
                    words = " ".join(words).split(" den ")[0].split()
                    name = _committee_name(words, committee_words) or " ".join(words)
                if name:
                    return name
    return None


def find_municipality(header: str, text: str, lexicon=None) -> str | None:
    """The municipality named most often in the header, else in the whole text."""
    if lexicon is None:
        return None

    def names(source: str) -> Counter:
        counts: Counter = Counter()
        for match in lexicon.municipality.finditer(source):
            first = match["place"].split()[0].split("-")[0].lower()
            if first in lexicon.not_name_start:
                continue
            counts[f"{match['place']} Kommune"] += 1
        return counts

    in_header = names(header)
    if in_header:
        return in_header.most_common(1)[0][0]
    in_text = names(text)
    return in_text.most_common(1)[0][0] if in_text else None


def find_kind(lines: list[Line], styles: StyleTable, items: list[Item]) -> str | None:
    kinds = styles.header["kind_words"]
    for line in lines:
        lower = line.stripped.lower()
        if not lower or len(lower) > 80:
            continue
        first = re.split(r"[\s:\-–]", lower, maxsplit=1)[0]
        if first in kinds and (lower == first or re.match(rf"{first}(?:\s+(?:af|til|for|fra|over)\b|\s*[:\-–])", lower)):
            return kinds[first]
    if any(item.decision for item in items):
        return "referat"
    return "dagsorden" if items else None


def parse_header(text: str, lines: list[Line], items: list[Item], styles: StyleTable, lexicon=None) -> Meeting:
    limit = items[0].start if items else min(len(text), int(styles.header.get("max_header_chars", 6000)))
    header_lines = [line for line in lines if line.start < limit]
    header = text[:limit]
    labelled = _labelled(header_lines)
    h = styles.header
    meeting = Meeting()
    meeting.municipality = find_municipality(header, text, lexicon)
    meeting.committee = find_committee(header_lines, labelled, styles, items, text)

    for label, value, _ in labelled:
        if label in h["date_labels"] and meeting.date is None:
            found = find_date(value)
            if found:
                meeting.date = found[0]
                meeting.time = meeting.time or find_time(value[:found[1]] + " " + value[found[2]:])
        elif label in h["time_labels"] and meeting.time is None:
            meeting.time = find_time(value)
        elif label in h["place_labels"] and meeting.place is None and value:
            meeting.place = value
    if meeting.date is None:
        found = find_date(header)
        if found:
            meeting.date = found[0]
            line_end = header.find("\n", found[2])
            rest = header[found[2]:line_end if line_end >= 0 else len(header)]
            meeting.time = meeting.time or find_time(rest)
    if meeting.date is None:
        for item in items:
            for section in item.sections:
                found = find_date(section.heading) if section.name == "beslutning" else None
                if found:
                    meeting.date = found[0]
                    break
            if meeting.date:
                break

    stop = set(h["member_labels"]) | set(h["absent_labels"]) | set(h["date_labels"]) | set(h["place_labels"])
    for label, value, index in labelled:
        if label in h["member_labels"] and not meeting.members:
            meeting.members = _people_after(lines, index, value, stop, lexicon)
        elif label in h["absent_labels"]:
            meeting.absent.extend(_people_after(lines, index, value, stop, lexicon))
    if not meeting.absent and items and items[0].decision:
        for line in items[0].decision.split("\n"):
            match = _LABEL.match(line)
            if match and " ".join(match["label"].lower().split()) in h["absent_labels"]:
                meeting.absent.extend(parse_people(match["value"], lexicon))
    meeting.kind = find_kind(header_lines, styles, items)
    return meeting
