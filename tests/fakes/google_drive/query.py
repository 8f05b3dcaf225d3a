"""The two small languages of the Drive API the fake has to understand.

- `q`, the search query of files.list (https://developers.google.com/drive/api/guides/ref-search-terms):
  terms such as `'<id>' in parents`, `trashed = false`, `mimeType != '...'`,
  `name contains 'x'`, `modifiedTime > '2024-01-01T00:00:00'`, joined by `and` / `or`, negated
  with `not`, grouped with parentheses. Strings are single-quoted with backslash escapes.
- `fields`, the partial-response mask every Google API takes
  (https://developers.google.com/drive/api/guides/fields-parameter):
  `nextPageToken, files(id, name, permissions(id, type))`, `user/emailAddress`, `*`.

Both raise `QueryError` on input the real API would answer with 400 Invalid Value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol


class QueryError(ValueError):
    def __init__(self, message: str, location: str) -> None:
        super().__init__(message)
        self.location = location


class Searchable(Protocol):
    id: str
    name: str
    mime_type: str
    parent_id: str | None
    created_time: str
    modified_time: str

    @property
    def trashed(self) -> bool: ...


Predicate = Callable[[Searchable], bool]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*')
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<paren>[()])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)

_TIME_FIELDS = {"modifiedTime": "modified_time", "createdTime": "created_time"}
_STRING_FIELDS = {"name": "name", "mimeType": "mime_type"}


def _tokenize(query: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(query):
        if query[position:].strip() == "":
            break
        match = _TOKEN.match(query, position)
        if match is None:
            raise QueryError("Invalid Value", "q")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        tokens.append((kind, value))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent: or-expression of and-expressions of (not) terms."""

    def __init__(self, query: str, root_id: str) -> None:
        self.tokens = _tokenize(query)
        self.position = 0
        self.root_id = root_id

    def parse(self) -> Predicate:
        predicate = self._or()
        if self.position != len(self.tokens):
            raise QueryError("Invalid Value", "q")
        return predicate

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise QueryError("Invalid Value", "q")
        self.position += 1
        return token

    def _keyword(self, word: str) -> bool:
        token = self._peek()
        if token is not None and token[0] == "word" and token[1].lower() == word:
            self.position += 1
            return True
        return False

    def _or(self) -> Predicate:
        parts = [self._and()]
        while self._keyword("or"):
            parts.append(self._and())
        if len(parts) == 1:
            return parts[0]
        return lambda item: any(part(item) for part in parts)

    def _and(self) -> Predicate:
        parts = [self._not()]
        while self._keyword("and"):
            parts.append(self._not())
        if len(parts) == 1:
            return parts[0]
        return lambda item: all(part(item) for part in parts)

    def _not(self) -> Predicate:
        if self._keyword("not"):
            inner = self._not()
            return lambda item: not inner(item)
        return self._atom()

    def _atom(self) -> Predicate:
        token = self._peek()
        if token == ("paren", "("):
            self.position += 1
            inner = self._or()
            if self._take() != ("paren", ")"):
                raise QueryError("Invalid Value", "q")
            return inner
        if token is not None and token[0] == "string":
            return self._membership()
        return self._comparison()

    def _membership(self) -> Predicate:
        value = self._take()[1]
        if not self._keyword("in"):
            raise QueryError("Invalid Value", "q")
        kind, collection = self._take()
        if kind != "word" or collection != "parents":
            raise QueryError("Invalid Value", "q")
        parent = self.root_id if value == "root" else value
        return lambda item: item.parent_id == parent

    def _comparison(self) -> Predicate:
        kind, field = self._take()
        if kind != "word":
            raise QueryError("Invalid Value", "q")
        if field == "trashed":
            operator = self._operator(("=", "!="))
            kind, literal = self._take()
            if kind != "word" or literal not in ("true", "false"):
                raise QueryError("Invalid Value", "q")
            wanted = literal == "true"
            if operator == "=":
                return lambda item: item.trashed == wanted
            return lambda item: item.trashed != wanted
        if field in _STRING_FIELDS:
            attribute = _STRING_FIELDS[field]
            if self._keyword("contains"):
                needle = self._string().lower()
                return lambda item: needle in str(getattr(item, attribute)).lower()
            operator = self._operator(("=", "!="))
            text = self._string()
            if operator == "=":
                return lambda item: getattr(item, attribute) == text
            return lambda item: getattr(item, attribute) != text
        if field in _TIME_FIELDS:
            attribute = _TIME_FIELDS[field]
            operator = self._operator(("=", "!=", "<", "<=", ">", ">="))
            moment = _normalise_time(self._string())
            compare = _COMPARATORS[operator]
            return lambda item: compare(_normalise_time(getattr(item, attribute)), moment)
        raise QueryError("Invalid Value", "q")

    def _operator(self, allowed: tuple[str, ...]) -> str:
        kind, operator = self._take()
        if kind != "op" or operator not in allowed:
            raise QueryError("Invalid Value", "q")
        return operator

    def _string(self) -> str:
        kind, value = self._take()
        if kind != "string":
            raise QueryError("Invalid Value", "q")
        return value


_COMPARATORS: dict[str, Callable[[str, str], bool]] = {
    "=": lambda left, right: left == right,
    "!=": lambda left, right: left != right,
    "<": lambda left, right: left < right,
    "<=": lambda left, right: left <= right,
    ">": lambda left, right: left > right,
    ">=": lambda left, right: left >= right,
}


def _normalise_time(value: str) -> str:
    # RFC 3339 in UTC compares as text once the trailing zone and fraction agree.
    return value.rstrip("Z").split(".")[0]


def parse_query(query: str, *, root_id: str) -> Predicate:
    """The predicate a files.list `q` selects with; `'root'` names the My Drive root."""
    if not query.strip():
        return lambda item: True
    return _Parser(query, root_id).parse()


# --- partial responses ----------------------------------------------------------------------

FieldMask = dict[str, "FieldMask"]  # an empty mask below a name keeps the whole value


def parse_fields(fields: str) -> FieldMask | None:
    """The mask for `fields`, or None for `*` (everything)."""
    text = fields.replace(" ", "")
    if text in ("", "*"):
        return None
    mask, position = _parse_mask(text, 0)
    if position != len(text):
        raise QueryError("Invalid field selection", "fields")
    return mask


def _parse_mask(text: str, position: int) -> tuple[FieldMask, int]:
    mask: FieldMask = {}
    while position < len(text):
        match = re.compile(r"[A-Za-z_*][A-Za-z0-9_/*]*").match(text, position)
        if match is None:
            raise QueryError("Invalid field selection", "fields")
        path = match.group().split("/")
        position = match.end()
        leaf = mask
        for name in path[:-1]:
            leaf = leaf.setdefault(name, {})
        children: FieldMask = {}
        if position < len(text) and text[position] == "(":
            children, position = _parse_mask(text, position + 1)
            if position >= len(text) or text[position] != ")":
                raise QueryError("Invalid field selection", "fields")
            position += 1
        if path[-1] == "*":
            children = {}
        leaf.setdefault(path[-1], {}).update(children)
        if position < len(text) and text[position] == ",":
            position += 1
            continue
        break
    return mask, position


def apply_fields(value: Any, mask: FieldMask | None) -> Any:
    """Keep what `mask` names; lists apply it to each element, `{}` keeps a value whole."""
    if mask is None or not mask or "*" in mask:
        return value
    if isinstance(value, list):
        return [apply_fields(element, mask) for element in value]
    if isinstance(value, dict):
        return {key: apply_fields(value[key], mask[key]) for key in mask if key in value}
    return value
