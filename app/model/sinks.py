"""Column-wise accumulators: each checked record adds one chunk, frames are built once at the end.

Millions of breakdown rows (two years of metrics-API data for a large enterprise) are cheap this
way: measures become float64 arrays per record, text dimensions stay Python lists until one
``pd.factorize`` pass turns each column into a categorical. No DataFrame is grown row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain

import numpy as np
import pandas as pd

from app.model.schema import BREAKDOWN_MEASURES, DIMENSIONS, empty_breakdown

_NO_TEXT = pd.Index([], dtype="str")


class Runs:
    """A text column stored as runs of one value (editor and model repeat for many rows)."""

    __slots__ = ("values", "counts")

    def __init__(self) -> None:
        self.values: list = []
        self.counts: list[int] = []

    def add(self, value: object, count: int) -> None:
        if count:
            self.values.append(value)
            self.counts.append(count)

    def __len__(self) -> int:
        return sum(self.counts)

    def expanded(self) -> list:
        out: list = []
        for value, count in zip(self.values, self.counts, strict=True):
            out.extend([value] * count)
        return out


@dataclass
class Block:
    """Breakdown rows of one record, kept apart until the record has been fully checked.

    Dimension columns hold raw names (str or None), as a list or as :class:`Runs`; measure lists
    hold numbers or None.
    """

    cut: list
    editor: list
    language: list
    model: list
    feature: list
    suggestions: list
    acceptances: list
    lines_suggested: list
    lines_accepted: list
    chats: list
    engaged_users: list

    @classmethod
    def new(cls) -> Block:
        return cls([], [], [], [], [], [], [], [], [], [], [])

    def __len__(self) -> int:
        return len(self.suggestions)


_CODE_COLUMNS = ("cut", *DIMENSIONS)


class BreakdownSink:
    """All breakdown rows of one generation in one load, one chunk per checked record.

    Text stays as Python lists until :meth:`frame` factorizes the winners' rows in one C pass;
    measures become float64 arrays as each record is appended.
    """

    def __init__(self) -> None:
        self.chunks: list[tuple[dict[str, list], dict[str, np.ndarray]]] = []

    def __len__(self) -> int:
        return len(self.chunks)

    def append(self, block: Block, measures: dict[str, np.ndarray] | None = None) -> int:
        """Adds a checked block (measures already converted if given); returns its chunk id."""
        if measures is None:
            measures = {
                name: np.array(getattr(block, name), dtype=np.float64)
                for name in BREAKDOWN_MEASURES
            }
        texts = {name: getattr(block, name) for name in _CODE_COLUMNS}
        self.chunks.append((texts, measures))
        return len(self.chunks) - 1

    def frame(self, generation: str, chunk_ids: list[int], days: list[date]) -> pd.DataFrame:
        """The rows of ``chunk_ids`` (each chunk belonging to the matching day) as a frame."""
        chosen = [self.chunks[i] for i in chunk_ids]
        lengths = np.fromiter((len(c[1]["suggestions"]) for c in chosen), dtype=np.int64)
        total = int(lengths.sum()) if len(lengths) else 0
        if total == 0:
            return empty_categorical_breakdown()
        day_values = np.array(days, dtype="datetime64[D]").astype("datetime64[ns]")
        columns: dict[str, object] = {"day": np.repeat(day_values, lengths)}
        columns["generation"] = pd.Categorical.from_codes(
            np.zeros(total, dtype=np.int8), categories=pd.Index([generation], dtype="str")
        )
        for name in _CODE_COLUMNS:
            parts = [c[0][name] for c in chosen]
            if all(type(part) is Runs for part in parts):
                values = np.empty(sum(len(part.values) for part in parts), dtype=object)
                values[:] = list(chain.from_iterable(part.values for part in parts))
                counts = np.fromiter(
                    chain.from_iterable(part.counts for part in parts), dtype=np.int64
                )
                short = text_categorical(values)
                columns[name] = pd.Categorical.from_codes(
                    np.repeat(short.codes, counts), dtype=short.dtype
                )
                continue
            texts = np.empty(total, dtype=object)
            texts[:] = list(
                chain.from_iterable(
                    part.expanded() if type(part) is Runs else part for part in parts
                )
            )
            columns[name] = text_categorical(texts)
        # Measures go straight into one 2-D block (no second copy when the frame is built).
        matrix = np.empty((len(BREAKDOWN_MEASURES), total), dtype=np.float64)
        for row, name in enumerate(BREAKDOWN_MEASURES):
            np.concatenate([c[1][name] for c in chosen], out=matrix[row])
        frame = pd.DataFrame(matrix.T, columns=list(BREAKDOWN_MEASURES), copy=False)
        for position, (name, values) in enumerate(columns.items()):
            frame.insert(position, name, values)
        return frame


def text_categorical(values: np.ndarray) -> pd.Categorical:
    """Object array of names (None = missing) as a categorical of text."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    names = [value if type(value) is str else str(value) for value in uniques]
    if len(set(names)) != len(names):  # e.g. 1 and "1": merge them under the text form
        return text_categorical(np.array([None if v is None else str(v) for v in values]))
    return pd.Categorical.from_codes(
        codes.astype(np.int32), categories=pd.Index(names, dtype="str")
    )


def empty_categorical_breakdown() -> pd.DataFrame:
    """An empty breakdown frame with the same dtypes as a loaded one."""

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
