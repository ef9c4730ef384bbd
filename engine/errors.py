"""A problem with an input, as the engine contract reports it (validation and the checks across fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERROR_CODES = ("required", "type", "choice", "range", "unknown-field", "unknown-pathway")


@dataclass(frozen=True)
class FieldError:
    """One problem with one input (``field`` is None for the input as a whole)."""

    field: str | None
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": self.message}
