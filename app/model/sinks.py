"""Column-wise accumulators: rows are appended to typed arrays once, frames are built at the end.

Millions of breakdown rows (two years of metrics-API data for a large enterprise) are cheap this
way: text dimensions become integer codes into a vocabulary (one categorical per column at the
end), measures go into ``array('d')`` buffers that numpy reads without copying.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from app.model.schema import BREAKDOWN_MEASURES, DIMENSIONS

MISSING = -1  # code of a missing dimension value (pd.NA in the frame)
_NO_TEXT = pd.Index([], dtype="str")


class Vocab:
    """Maps dimension text to small integer codes."""

    __slots__ = ("index", "values")

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[str] = []

    def code(self, value: object) -> int:
        if value is None:
            return MISSING
        key = value if type(value) is str else str(value)
        found = self.index.get(key)
        if found is None:
            found = len(self.values)
            self.index[key] = found
            self.values.append(key)
        return found


@dataclass
class Block:
    """Breakdown rows of one record, kept apart until the record has been fully checked."""

    cut: list[int]
    editor: list[int]
    language: list[int]
    model: list[int]
    feature: list[int]
    suggestions: list[float]
    acceptances: list[float]
    lines_suggested: list[float]
    lines_accepted: list[float]
    chats: list[float]
    engaged_users: list[float]

    @classmethod
    def new(cls) -> Block:
        return cls([], [], [], [], [], [], [], [], [], [], [])

    def __len__(self) -> int:
        return len(self.cut)


_CODE_COLUMNS = ("cut", *DIMENSIONS)


class BreakdownSink:
    """All breakdown rows of one generation in one load, with their vocabularies."""

    def __init__(self) -> None:
        self.vocab: dict[str, Vocab] = {name: Vocab() for name in _CODE_COLUMNS}
        self.codes: dict[str, array] = {name: array("i") for name in _CODE_COLUMNS}
        self.measures: dict[str, array] = {name: array("d") for name in BREAKDOWN_MEASURES}

    def __len__(self) -> int:
        return len(self.codes["cut"])

    def append(self, block: Block) -> tuple[int, int]:
        """Adds a checked block; returns its row range in this sink."""
        start = len(self)
        for name in _CODE_COLUMNS:
            self.codes[name].extend(getattr(block, name))
        for name in BREAKDOWN_MEASURES:
            self.measures[name].extend(getattr(block, name))
        return start, len(self)

    def frame(
        self, generation: str, row_ranges: list[tuple[int, int]], days: list[date]
    ) -> pd.DataFrame:
        """The rows in ``row_ranges`` (each range belonging to the matching day) as a frame."""
        lengths = np.fromiter((end - start for start, end in row_ranges), dtype=np.int64)
        total = int(lengths.sum()) if len(lengths) else 0
        if total == 0:
            return empty_categorical_breakdown()
        index = np.concatenate(
            [np.arange(start, end, dtype=np.int64) for start, end in row_ranges if end > start]
        )
        day_values = np.array(days, dtype="datetime64[D]").astype("datetime64[ns]")
        columns: dict[str, object] = {"day": np.repeat(day_values, lengths)}
        columns["generation"] = pd.Categorical.from_codes(
            np.zeros(total, dtype=np.int8), categories=pd.Index([generation], dtype="str")
        )
        for name in _CODE_COLUMNS:
            codes = np.frombuffer(self.codes[name], dtype=np.int32)[index]
            columns[name] = categorical(codes, self.vocab[name].values)
        for name in BREAKDOWN_MEASURES:
            columns[name] = np.frombuffer(self.measures[name], dtype=np.float64)[index]
        return pd.DataFrame(columns)


def categorical(codes: np.ndarray, values: list[str]) -> pd.Categorical:
    """A categorical holding only the categories actually used (codes -1 are missing)."""
    if not values:
        return pd.Categorical.from_codes(
            np.full(len(codes), -1, dtype=np.int8), categories=_NO_TEXT
        )
    used = np.zeros(len(values) + 1, dtype=bool)
    used[codes + 1] = True
    used = used[1:]
    if used.all():
        return pd.Categorical.from_codes(codes, categories=pd.Index(values, dtype="str"))
    remap = np.full(len(values) + 1, -1, dtype=np.int32)
    kept = np.flatnonzero(used)
    remap[kept + 1] = np.arange(len(kept), dtype=np.int32)
    return pd.Categorical.from_codes(
        remap[codes + 1], categories=pd.Index([values[i] for i in kept], dtype="str")
    )


def empty_categorical_breakdown() -> pd.DataFrame:
    """An empty breakdown frame with the same dtypes as a loaded one."""
    from app.model.schema import empty_breakdown

    frame = empty_breakdown()
    for name in ("generation", *_CODE_COLUMNS):
        frame[name] = pd.Categorical([], categories=_NO_TEXT)
    return frame


def concat_categoricals(parts: list[pd.Series | pd.Categorical]) -> pd.Categorical:
    """Concatenates text columns as one categorical over the union of their categories.

    Works for categoricals with different categories and for plain object/str columns (which
    are converted first), so frames built elsewhere can be combined with loaded ones.
    """
    cats: list[pd.Categorical] = []
    for part in parts:
        values = part.array if isinstance(part, pd.Series) else part
        if not isinstance(values, pd.Categorical):
            values = pd.Categorical(np.asarray(values, dtype=object))
        cats.append(values)
    union: dict[str, int] = {}
    for cat in cats:
        for value in cat.categories:
            union.setdefault(str(value), len(union))
    categories = pd.Index(list(union), dtype="str") if union else _NO_TEXT
    recoded = []
    for cat in cats:
        mapping = np.array([union[str(v)] for v in cat.categories] + [-1], dtype=np.int32)
        recoded.append(mapping[cat.codes])  # code -1 picks the trailing -1
    codes = np.concatenate(recoded) if recoded else np.empty(0, dtype=np.int32)
    return pd.Categorical.from_codes(codes, categories=categories)
