"""Rebuild a page from positioned words: lines, cells, and blocks with a role (heading, label/value, prose, signature).

Every reader that knows where its words are — a PDF's text layer, OCR of a scan or a photo — hands a
list of :class:`Word` to :func:`blocks_from_words`; a reader with structure of its own (DOCX) builds
:class:`Block` values directly. Fact finding then works on blocks, never on one flat string.

Coordinates: any unit (PDF points, image pixels), origin at the top left of the page, y growing
downward; ``x0 < x1`` and ``y0 < y1``.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

HEADING = "heading"
LABEL_VALUE = "label_value"
PROSE = "prose"
SIGNATURE = "signature"
LINE = "line"  # a short line that is none of the above (a name, a title on its own)

# Where a block sits in the document; a page header is the usual home of a letterhead.
BODY = "body"
HEADER = "header"
FOOTER = "footer"
TABLE = "table"
TEXTBOX = "textbox"
QUOTED = (
    "quoted"  # the earlier message a reply quotes below itself: evidence only where the reply confirms it
)


@dataclass(frozen=True)
class Word:
    """One word as placed on a page; ``conf`` is the OCR confidence (0-100) when the word was recognised."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    page: int = 0
    conf: float | None = None

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 0.1)

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


def _letter_spaced(text: str) -> bool:
    """Three or more runs of one or two capitals one space apart, half of them single: a word set
    letter-spaced ("N O R VA L E"), whose pairs are letters the font kerned together."""
    runs = text.split(" ")
    return (
        len(runs) >= 3
        and all(1 <= len(run) <= 2 and run.isalpha() and run.isupper() for run in runs)
        and 2 * sum(len(run) == 1 for run in runs) >= len(runs)
    )


@dataclass
class Line:
    """Words sharing a baseline, split into cells where the gap between two words is wider than a space."""

    cells: list[list[Word]]
    page: int

    @property
    def words(self) -> list[Word]:
        return [word for cell in self.cells for word in cell]

    @property
    def cell_texts(self) -> list[str]:
        texts = [_cell_text(cell) for cell in self.cells]
        if any(_letter_spaced(text) for text in texts):
            # A letter-spaced logo ("N O R VA L E | G R O U P"): its letters make words, its wide gaps spaces.
            words = [text.replace(" ", "") if _letter_spaced(text) else text for text in texts]
            if all(_letter_spaced(text) or len(text) <= 1 for text in texts):
                return [" ".join(words)]
            return words
        return texts

    @property
    def text(self) -> str:
        return " | ".join(self.cell_texts)

    @property
    def x0(self) -> float:
        return min(word.x0 for word in self.words)

    @property
    def x1(self) -> float:
        return max(word.x1 for word in self.words)

    @property
    def y0(self) -> float:
        return min(word.y0 for word in self.words)

    @property
    def y1(self) -> float:
        return max(word.y1 for word in self.words)

    @property
    def height(self) -> float:
        return statistics.median(word.height for word in self.words)


@dataclass
class Block:
    """A unit of reading: its ``role``, its ``lines`` of text (cells joined by " | "), and where it came from.

    A ``label_value`` block carries ``label`` and ``value``; ``bbox`` is (x0, y0, x1, y1) on ``page``
    when the reader knew positions (an OCR'd fact can then point at the region of the page image).
    """

    role: str
    lines: list[str]
    page: int = 0
    bbox: tuple[float, float, float, float] | None = None
    source: str = BODY
    label: str | None = None
    value: str | None = None
    size: float | None = None  # the text height, when known: headings are taller than the body
    conf: float | None = None  # the lowest word confidence, for OCR'd blocks

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _cell_text(cell: list[Word]) -> str:
    """The words of a cell with a space where there is a gap; runs that touch (a ligature set apart) join."""
    parts = [cell[0].text]
    for previous, word in zip(cell, cell[1:], strict=False):
        touching = word.x0 - previous.x1 < 0.08 * min(previous.height, word.height)
        parts.append(word.text if touching and word.x0 > previous.x0 else " " + word.text)
    return "".join(parts)


# --- words -> lines ----------------------------------------------------------------------------


def lines_from_words(words: Iterable[Word]) -> list[Line]:
    """Group words into lines (by vertical overlap) and each line into cells (by horizontal gaps).

    Lines come in reading order: page by page, top to bottom. Words of slightly different sizes on
    one baseline (a label in small capitals beside its value) still share a line.
    """
    by_page: dict[int, list[Word]] = {}
    for word in words:
        if word.text.strip():
            by_page.setdefault(word.page, []).append(word)
    lines: list[Line] = []
    for page in sorted(by_page):
        rows: list[list[Word]] = []
        for word in sorted(by_page[page], key=lambda item: (item.middle, item.x0)):
            row = _row_for(rows, word)
            if row is None:
                rows.append([word])
            else:
                row.append(word)
        for row in sorted(rows, key=lambda items: statistics.median(item.middle for item in items)):
            lines.append(Line(_cells(sorted(row, key=lambda item: item.x0)), page))
    return lines


def _row_for(rows: list[list[Word]], word: Word) -> list[Word] | None:
    # Only the last few rows can hold this word: words arrive sorted by their middle.
    for row in reversed(rows[-4:]):
        middle = statistics.median(item.middle for item in row)
        height = statistics.median(item.height for item in row)
        tolerance = 0.5 * min(height, word.height) + 0.15 * abs(height - word.height)
        if abs(word.middle - middle) <= max(tolerance, 0.35 * max(height, word.height)):
            if not any(_overlaps(item, word) for item in row):
                return row
    return None


def _overlaps(left: Word, right: Word) -> bool:
    overlap = min(left.x1, right.x1) - max(left.x0, right.x0)
    return overlap > 0.5 * min(left.x1 - left.x0, right.x1 - right.x0)


def _cells(row: list[Word]) -> list[list[Word]]:
    cells: list[list[Word]] = [[row[0]]]
    for previous, word in zip(row, row[1:], strict=False):
        height = min(previous.height, word.height)
        # A space is about a third of the text height; a tab stop or a table column is far wider.
        if word.x0 - previous.x1 > 1.2 * height:
            cells.append([word])
        else:
            cells[-1].append(word)
    return cells


# --- lines -> blocks ---------------------------------------------------------------------------

_SENTENCE_WORDS = re.compile(
    r"\b(?:has|have|is|was|were|that|this|which|who|confirm|certify|certifies|completed|attended|between|during|"
    r"comprising|including|with|and|of|the|for|to)\b",
    re.IGNORECASE,
)
_SIGN_MARK = re.compile(r"^(?:signed|signature|sign)\b|^_{3,}|^\.{5,}|^x\s*_{2,}", re.IGNORECASE)
ROLE_WORDS = re.compile(
    r"\b(?:tutor|facilitator|director|trainer|instructor|lecturer|teacher|educator|coordinator|co-ordinator|"
    r"registrar|principal|dean|head|manager|chair|chairperson|president|secretary|officer|lead|leader|"
    r"supervisor|mentor|coach|assessor|examiner|administrator|founder|ceo|presenter|convenor|convener|partner|"
    r"chief\s+executive|vice-chancellor|provost|rector|course\s+author|(?:learning|instructional)\s+designer)s?\b",
    re.IGNORECASE,
)

_LISTED_PARTS = re.compile(r"\s+[·•]\s+")

LabelTest = Callable[[str], bool]


def _default_is_label(text: str) -> bool:
    text = text.strip()
    return text.endswith(":") and 1 <= len(text.split()) <= 5


def blocks_from_words(
    words: Iterable[Word], *, is_label: LabelTest | None = None, source: str = BODY
) -> list[Block]:
    """Blocks in reading order from positioned words (a PDF page's text layer, or OCR).

    ``is_label`` says whether a cell is a field label ("Participant", "LEARNER", "Hours:"); the fact
    finder passes its own vocabulary. Pairing is by geometry: a label's value is the next cell to its
    right on the same line, or else the line directly below it that starts near the label's left edge.
    """
    return blocks_from_lines(lines_from_words(words), is_label=is_label, source=source)


def blocks_from_lines(
    lines: Sequence[Line], *, is_label: LabelTest | None = None, source: str = BODY
) -> list[Block]:
    is_label = is_label or _default_is_label
    if not lines:
        return []
    lines = join_wrapped_cells(join_offset_rows(lines), is_label)
    body = statistics.median(line.height for line in lines)
    blocks: list[Block] = []
    used: set[int] = set()
    captions = _captions_below_values(lines, is_label)
    for _caption, (values, rule) in captions.items():
        used.update(values)
        used.update(rule)
    for index, line in enumerate(lines):
        if index in used:
            continue
        if index in captions:
            wrapped = [lines[number] for number in captions[index][0]]
            above = _joined_lines(wrapped)
            for label, value in _caption_pairs(line, above):
                bbox = (above.x0, above.y0, line.x1, line.y1)
                blocks.append(
                    Block(
                        LABEL_VALUE,
                        [f"{label} | {value}"],
                        line.page,
                        bbox,
                        source,
                        label,
                        value,
                        above.height,
                        _lowest_conf([*above.words, *line.words]),
                    )
                )
            continue
        cells = line.cell_texts
        conf = _lowest_conf(line.words)
        bbox = (line.x0, line.y0, line.x1, line.y1)
        # Pairs on one line: "Participant | Zoë" or a grid "Hours | 35 | Date | 1 May 2024".
        pairs = _pairs_in_line(cells, is_label)
        row_below = _values_below_row(lines, index, used, is_label)
        if row_below is not None:
            # A row of small captions over a row of values, as cards in a grid: paired column by column.
            below, values = row_below
            used.add(below)
            pairs = list(zip(cells, values, strict=True))
            bbox = _union(bbox, (lines[below].x0, lines[below].y0, lines[below].x1, lines[below].y1))
        elif len(pairs) == 1 and pairs[0][1] is None:
            below = _value_below(lines, index, line, used, is_label)
            if below is None:
                pairs = []  # a label-like line with nothing to pair ("Course Tutor" under a name)
            else:
                used.add(below)
                pairs = [(pairs[0][0], lines[below].text)]
                bbox = _union(bbox, (lines[below].x0, lines[below].y0, lines[below].x1, lines[below].y1))
        if pairs:
            for label, value in pairs:
                text = f"{label} | {value}" if value else label
                blocks.append(
                    Block(LABEL_VALUE, [text], line.page, bbox, source, label, value, line.height, conf)
                )
            continue
        role = _role(line, body)
        if role == PROSE and len(cells) > 1:
            role = LINE  # cells side by side are a row of a table, not a sentence
        blocks.append(Block(role, [line.text], line.page, bbox, source, size=line.height, conf=conf))
    return _merge_prose(blocks, body)


def join_offset_rows(lines: Sequence[Line]) -> list[Line]:
    """A table row whose cells are centred vertically becomes one line again.

    A two-line label beside a one-line value ("Participant" / "name" beside "Siobhán Ní Bhriain") sets
    the value half a line lower than the label: the lines overlap without sharing a baseline. Lines
    that overlap like that form one row; within it, the lines that start at the same place stack into
    one cell, and the cells read left to right.
    """
    result: list[Line] = []
    index = 0
    while index < len(lines):
        end = index + 1
        while end < len(lines) and _offset_overlap(lines[end - 1], lines[end]):
            end += 1
        group = list(lines[index:end])
        result.extend(_stacked_row(group) if len(group) > 1 else group)
        index = end
    return result


def _offset_overlap(upper: Line, lower: Line) -> bool:
    if upper.page != lower.page:
        return False
    height = min(upper.height, lower.height)
    overlap = min(upper.y1, lower.y1) - max(upper.y0, lower.y0)
    # Lines of one column never overlap by a fifth of their height; offset cells of one row do.
    return overlap > 0.2 * height and abs(upper.x0 - lower.x0) > 0.8 * height


def _stacked_row(group: list[Line]) -> list[Line]:
    stacks: list[list[list[Word]]] = []  # one list of cells per start position
    starts: list[float] = []
    height = statistics.median(line.height for line in group)
    for line in group:
        for cell in line.cells:
            position = next((i for i, x in enumerate(starts) if abs(x - cell[0].x0) <= 0.8 * height), None)
            if position is None:
                starts.append(cell[0].x0)
                stacks.append([list(cell)])
            else:
                stacks[position].append(list(cell))
    if len(stacks) < 2:
        return group
    order = sorted(range(len(stacks)), key=lambda i: starts[i])
    cells = []
    for i in order:
        words: list[Word] = []
        for piece in stacks[i]:
            words = _append_words(words, piece) if words else list(piece)
        cells.append(words)
    return [Line(cells, group[0].page)]


def join_wrapped_cells(lines: Sequence[Line], is_label: LabelTest) -> list[Line]:
    """Text wrapped inside table cells rejoins its cell: "Amara Okonjo-" over "Hale" is one value.

    A line continues the table row above when it follows at single line spacing, fills fewer cells
    than the row, and each of its cells starts where one of the row's cells starts. A cell under a
    label continues it only if the two together still read as a label ("Guided learning" + "hours").
    """
    joined: list[Line] = []
    for line in lines:
        row = joined[-1] if joined else None
        if row is not None and (target := _continued_cells(row, line, is_label)) is not None:
            cells = [list(cell) for cell in row.cells]
            for cell, index in zip(line.cells, target, strict=True):
                cells[index] = _append_words(cells[index], cell)
            joined[-1] = Line(cells, row.page)
            continue
        joined.append(line)
    return joined


def _continued_cells(row: Line, line: Line, is_label: LabelTest) -> list[int] | None:
    if row.page != line.page or len(row.cells) < 2 or len(line.cells) >= len(row.cells):
        return None
    # Recognised words' boxes are as tall as their letters ("Culture" is shorter than "Programme"):
    # the mean of the two heights stands for the line spacing.
    height = (row.height + line.height) / 2
    last_bottom = max(word.y1 for word in row.cells[-1] + row.cells[0])
    if not (-0.2 * height <= line.y0 - _row_bottom(row) <= 0.6 * height) and not (
        line.y0 - last_bottom <= 0.6 * height
    ):
        return None
    starts = [cell[0].x0 for cell in row.cells]
    target = []
    for cell in line.cells:
        index = min(range(len(starts)), key=lambda item: abs(starts[item] - cell[0].x0))
        if abs(starts[index] - cell[0].x0) > 0.8 * height or index in target:
            return None
        target.append(index)
    texts = row.cell_texts
    for cell, index in zip(line.cells, target, strict=True):
        text = " ".join(word.text for word in cell)
        if is_label(text) and is_label(texts[index]) and not is_label(f"{texts[index]} {text}"):
            return None  # a new row that starts with a label of its own
    return target


def _row_bottom(row: Line) -> float:
    return max(word.y1 for word in row.words)


def _append_words(cell: list[Word], more: list[Word]) -> list[Word]:
    last, first = cell[-1], more[0]
    if last.text.endswith("-") and last.text[-2:-1].isalpha() and first.text[:1].isalpha():
        # A word hyphenated at the cell's edge ("Okonjo-" / "Hale") is one word again.
        merged = Word(
            last.text + first.text, last.x0, last.y0, max(last.x1, first.x1), first.y1, last.page, last.conf
        )
        return [*cell[:-1], merged, *more[1:]]
    return [*cell, *more]


def _pairs_in_line(cells: list[str], is_label: LabelTest) -> list[tuple[str, str | None]]:
    pairs: list[tuple[str, str | None]] = []
    position = 0
    while position < len(cells):
        cell = cells[position]
        if not is_label(cell):
            if not pairs:
                return []
            # A value that runs over two cells (a wide gap inside it) stays with its label.
            label, value = pairs[-1]
            pairs[-1] = (label, f"{value} {cell}" if value else cell)
            position += 1
            continue
        following = cells[position + 1] if position + 1 < len(cells) else None
        if following is not None and not is_label(following):
            pairs.append((cell, following))
            position += 2
        else:
            pairs.append((cell, None))
            position += 1
    return pairs


_RULE = re.compile(r"^[_.\-–—=\s]+$")


def _is_rule(line: Line) -> bool:
    """A line drawn with characters ("__________", ".........") for a value or a signature to stand on."""
    return all(_RULE.match(cell) for cell in line.cell_texts)


_LEADS_IN = re.compile(
    r"^\s*(?:for|in\s+recognition|on|upon|to|by|awarded|presented|issued|granted|conferred|has|having|who)\b",
    re.IGNORECASE,
)


def _captions_below_values(
    lines: Sequence[Line], is_label: LabelTest
) -> dict[int, tuple[list[int], list[int]]]:
    """Small captions printed UNDER their values ("Zoë Ashworth" / "________" / "Participant").

    A line of nothing but labels is a caption of the line above it (past a rule drawn with characters) when
    that line holds no label and either a rule stands between them, or the caption is set smaller and sits
    closer to the line above than to the line below (a label over its value sits closer to its value).
    A value wrapped over lines (same size, tight spacing) is taken whole. Returns, per caption line, the
    value's lines and the rule lines between them.
    """
    found: dict[int, tuple[list[int], list[int]]] = {}
    claimed: set[int] = set()
    for index, line in enumerate(lines):
        cells = line.cell_texts
        if not cells or not all(is_label(cell) for cell in cells) or _is_rule(line):
            continue
        if any(_LEADS_IN.match(cell) for cell in cells):
            continue  # "for completing", "awarded to": words that lead into what follows, never a caption
        rules: list[int] = []
        above = index - 1
        while above >= 0 and _is_rule(lines[above]) and lines[above].page == line.page and len(rules) < 2:
            rules.append(above)
            above -= 1
        if above < 0 or above in claimed or lines[above].page != line.page or _is_rule(lines[above]):
            continue
        value = lines[above]
        if any(is_label(cell) for cell in value.cell_texts) or len(value.cells) < len(cells):
            continue
        gap_above = line.y0 - value.y1
        if gap_above > 3 * max(line.height, value.height):
            continue
        if not rules:
            below = lines[index + 1] if index + 1 < len(lines) else None
            gap_below = below.y0 - line.y1 if below is not None and below.page == line.page else None
            smaller = line.height <= 0.85 * value.height
            if not smaller or (gap_below is not None and gap_below <= gap_above):
                continue
        if not _caption_pairs(line, value):
            continue
        values = [above]
        while (
            values[0] > 0
            and len(cells) == 1
            and _wraps_onto(lines[values[0] - 1], lines[values[0]], is_label)
        ):
            if values[0] - 1 in claimed:
                break
            values.insert(0, values[0] - 1)
        found[index] = (values, rules)
        claimed.update(values)
    return found


def _wraps_onto(upper: Line, lower: Line, is_label: LabelTest) -> bool:
    """Whether ``lower`` continues ``upper``: one cell each, the same size, at a line's spacing."""
    if upper.page != lower.page or len(upper.cells) != 1 or len(lower.cells) != 1 or _is_rule(upper):
        return False
    if is_label(upper.cell_texts[0]) or abs(upper.height - lower.height) > 0.1 * lower.height:
        return False
    return 0 <= lower.y0 - upper.y1 <= 0.6 * lower.height


def _joined_lines(lines: list[Line]) -> Line:
    if len(lines) == 1:
        return lines[0]
    return Line([[word for line in lines for word in line.words]], lines[0].page)


def _caption_pairs(caption: Line, value: Line) -> list[tuple[str, str]]:
    """Each caption cell with the value cell above it: one apiece, or side by side by horizontal overlap."""
    labels, values = caption.cell_texts, value.cell_texts
    if len(labels) == 1:
        return [(labels[0], " ".join(values))] if len(values) == 1 else []
    pairs = []
    for label_cell, label in zip(caption.cells, labels, strict=True):
        left, right = min(w.x0 for w in label_cell), max(w.x1 for w in label_cell)
        middle = (left + right) / 2
        best = None
        for value_cell, text in zip(value.cells, values, strict=True):
            v_left, v_right = min(w.x0 for w in value_cell), max(w.x1 for w in value_cell)
            distance = 0 if v_left <= middle <= v_right else min(abs(v_left - middle), abs(v_right - middle))
            if best is None or distance < best[0]:
                best = (distance, text)
        if best is None or best[0] > 3 * caption.height + (right - left):
            return []
        pairs.append((label, best[1]))
    return pairs if len({text for _, text in pairs}) == len(pairs) else []


def _values_below_row(
    lines: Sequence[Line], index: int, used: set[int], is_label: LabelTest
) -> tuple[int, list[str]] | None:
    """The values under a row of captions ("LEARNER | COURSE TITLE | HOURS" over three values), by column.

    The row must hold two or more cells, most of them known labels and every one short enough to be a
    caption; the line below must hold as many cells, none a label, each starting under its caption (or
    overlapping it), at a line's spacing. Anything less is left unpaired rather than guessed.
    """
    line = lines[index]
    below = index + 1
    cells = line.cell_texts
    if len(cells) < 2 or below >= len(lines) or below in used:
        return None
    known = sum(1 for cell in cells if is_label(cell))
    # A caption the vocabulary lacks is allowed only in a row set all in capitals, as captions are.
    if known < len(cells) and (2 * known < len(cells) or not all(_in_capitals(cell) for cell in cells)):
        return None
    if any(len(cell.split()) > 4 or re.search(r"\d", cell) for cell in cells):
        return None
    candidate = lines[below]
    if candidate.page != line.page or len(candidate.cells) != len(line.cells):
        return None
    if any(is_label(cell) for cell in candidate.cell_texts):
        return None
    if candidate.y0 - line.y1 > 1.5 * max(line.height, candidate.height):
        return None
    if not _under(line, candidate):
        return None
    following = lines[below + 1] if below + 1 < len(lines) else None
    if (
        following is not None
        and following.page == line.page
        and len(following.cells) == len(line.cells)
        and not any(is_label(cell) for cell in following.cell_texts)
        and _under(line, following)
    ):
        return None  # a table's header over several rows: no one row is the document's value
    return below, candidate.cell_texts


def _under(captions: Line, values: Line) -> bool:
    """Whether each value cell starts under its caption, or overlaps it."""
    for caption, value in zip(captions.cells, values.cells, strict=True):
        c_left, c_right = caption[0].x0, max(word.x1 for word in caption)
        v_left, v_right = value[0].x0, max(word.x1 for word in value)
        if abs(c_left - v_left) > 3 * captions.height and (v_right < c_left or v_left > c_right):
            return False
    return True


def _in_capitals(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


def _value_below(
    lines: Sequence[Line], index: int, line: Line, used: set[int], is_label: LabelTest
) -> int | None:
    below = index + 1
    if below >= len(lines) or below in used:
        return None
    candidate = lines[below]
    if candidate.page != line.page or any(is_label(cell) for cell in candidate.cell_texts):
        return None
    gap = candidate.y0 - line.y1
    near_left = abs(candidate.x0 - line.x0) <= 3 * line.height or line.x0 <= candidate.x0 <= line.x1
    if gap <= 1.5 * max(line.height, candidate.height) and near_left:
        return below
    return None


def _role(line: Line, body: float) -> str:
    return role_of_text(line.text, taller=line.height >= 1.25 * body)


def role_of_text(text: str, *, taller: bool = False) -> str:
    """The role a line of text plays, from its wording and whether it is set larger than the body text."""
    words = text.split()
    if _SIGN_MARK.search(text) or (
        len(words) <= 6 and ROLE_WORDS.search(text) and not _SENTENCE_WORDS.search(text)
    ):
        return SIGNATURE
    letters = [char for char in text if char.isalpha()]
    capitals = letters and sum(char.isupper() for char in letters) / len(letters) > 0.8
    if (taller and len(words) <= 14) or (capitals and len(words) <= 10 and len(letters) >= 4):
        return HEADING
    titled = [word for word in words if word[:1].isalpha()]
    if (
        titled
        and sum(word[0].isupper() for word in titled) >= 0.7 * len(titled)
        and text[-1:] not in ".,;:!?"
    ):
        return LINE  # a name in title case ("Marchbank University — School of Education and Social Care")
    if (
        _LISTED_PARTS.search(text)
        and text[-1:] not in ".!?"
        and all(len(part.split()) <= 7 for part in _LISTED_PARTS.split(text))
    ):
        return (
            LINE  # "Harbour College · registered training provider": parts set side by side, not a sentence
        )
    if len(words) >= 8 or (len(words) >= 4 and _SENTENCE_WORDS.search(text) and text[-1:] in ".,;"):
        return PROSE
    return LINE


def _merge_prose(blocks: list[Block], body: float) -> list[Block]:
    """Lines of one paragraph become one block, so a sentence wrapped over lines reads whole.

    A line continues the paragraph above when it follows at the paragraph's line spacing and the
    line above it ran to the paragraph's right edge (a short line ends a paragraph).
    """
    merged: list[Block] = []
    last_line: tuple | None = None
    for block in blocks:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.role == PROSE
            and block.role in (PROSE, LINE)
            and " | " not in block.lines[0]
            and previous.page == block.page
            and previous.source == block.source
            and previous.bbox is not None
            and block.bbox is not None
            and last_line is not None
            and _continues(previous.bbox, last_line, block.bbox, body)
        ):
            previous.lines.extend(block.lines)
            previous.bbox = _union(previous.bbox, block.bbox)
            last_line = block.bbox
            continue
        merged.append(block)
        last_line = block.bbox
    return merged


def _continues(paragraph: tuple, last_line: tuple, line: tuple, body: float) -> bool:
    gap = line[1] - last_line[3]
    width = max(paragraph[2], line[2]) - min(paragraph[0], line[0])
    ran_to_edge = last_line[2] >= max(paragraph[2], line[2]) - 0.2 * width
    return -0.2 * body <= gap <= 0.9 * body and abs(line[0] - paragraph[0]) <= 2 * body and ran_to_edge


def _union(left: tuple, right: tuple) -> tuple[float, float, float, float]:
    return (min(left[0], right[0]), min(left[1], right[1]), max(left[2], right[2]), max(left[3], right[3]))


def _lowest_conf(words: Iterable[Word]) -> float | None:
    values = [word.conf for word in words if word.conf is not None]
    return min(values) if values else None


def blocks_text(blocks: Iterable[Block]) -> str:
    """The blocks as plain text: cells joined by " | ", a paragraph on one line (a sentence wrapped on the
    page reads whole), every other line as it stands."""
    lines = []
    for block in blocks:
        if block.role == PROSE:
            lines.append(" ".join(line.strip() for line in block.lines if line.strip()))
        else:
            lines.extend(line for line in block.lines if line.strip())
    return "\n".join(line for line in lines if line.strip())


__all__ = [
    "BODY", "FOOTER", "HEADER", "HEADING", "LABEL_VALUE", "LINE", "PROSE", "ROLE_WORDS", "SIGNATURE", "TABLE",
    "TEXTBOX", "Block", "Line", "Word", "blocks_from_lines", "blocks_from_words", "blocks_text", "lines_from_words", "role_of_text",
]  # fmt: skip
