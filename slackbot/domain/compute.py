"""The week's compute pool and the Hub access of official teams, as rules that know nothing of
Slack or the database: what an allocation is, what a pool CSV must hold (refused whole, with
its line numbers), who gets compute and in which order, and what a Hub username looks like."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

# Columns of `slackbot compute import FILE.csv`: the first two are required.
REQUIRED_COLUMNS = ("label", "details")
OPTIONAL_COLUMNS = ("kind", "note")
LABEL_MAX = 80
DETAILS_MAX = 2000
NOTE_MAX = 300
PROBLEM_MAX = 500

FREE, GIVEN, RETURNED = "free", "given", "returned"
SET_ASIDE = "set aside"  # reported broken and re-given: out of the pool until an organizer fixes it


@dataclass(frozen=True)
class Allocation:
    """One machine (or credit) of the pool. `details` are secret: they go to the team's
    members and nowhere else (never a public channel, a log line or the dashboard)."""

    id: int
    label: str
    details: str
    kind: str = ""
    note: str = ""
    proposal_id: int | None = None  # the team it is given to
    given_at: float | None = None
    returned_at: float | None = None
    set_aside_at: float | None = None

    @property
    def state(self) -> str:
        if self.proposal_id is not None:
            return GIVEN
        if self.set_aside_at is not None:
            return SET_ASIDE
        return RETURNED if self.returned_at else FREE


@dataclass(frozen=True)
class PoolRow:
    line: int
    label: str
    details: str
    kind: str = ""
    note: str = ""


class PoolFileError(ValueError):
    """A pool file that cannot be imported; `problems` name their lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def label_problem(label: str) -> str | None:
    if not label:
        return "a label is required"
    if len(label) > LABEL_MAX:
        return f"the label is longer than {LABEL_MAX} characters"
    if any(c.isspace() for c in label) or "|" in label:
        return "a label is one word (no spaces, no |), e.g. the VM name"
    return None


def details_problem(details: str) -> str | None:
    if not details:
        return "the details to hand over are required"
    if len(details) > DETAILS_MAX:
        return f"the details are longer than {DETAILS_MAX} characters"
    return None


def parse_pool_csv(text: str, taken: set[str] | frozenset[str] = frozenset()) -> list[PoolRow]:
    """The rows of a pool CSV (a header line, then one allocation a line), or PoolFileError
    with every problem and its line number: a missing column, an empty label or details, a
    label twice in the file or already in the pool (`taken`). Nothing is partly accepted."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise PoolFileError(["the file is empty: the first line names the columns"]) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise PoolFileError(
            [
                f"line 1: the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"{'are' if len(missing) > 1 else 'is'} missing (columns: label, details, "
                "and optionally kind, note)"
            ]
        )
    where = {
        name: header.index(name)
        for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        if name in header
    }
    rows: list[PoolRow] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            at = where.get(name)
            return cells[at].strip() if at is not None and at < len(cells) else ""

        label, details = cell("label"), cell("details")
        problem = label_problem(label) or details_problem(details)
        if problem is None and len(cell("note")) > NOTE_MAX:
            problem = f"the note is longer than {NOTE_MAX} characters"
        key = label.lower()
        if problem is None and key in first_line:
            problem = f"the label {label} is already on line {first_line[key]}"
        if problem is None and key in {t.lower() for t in taken}:
            problem = f"the label {label} is already in the pool"
        if problem:
            problems.append(f"line {number}: {problem}")
            continue
        first_line[key] = number
        rows.append(PoolRow(number, label, details, cell("kind")[:40], cell("note")))
    if problems:
        raise PoolFileError(problems)
    if not rows:
        raise PoolFileError(["the file has no allocation after its header line"])
    return rows


def parse_add(text: str) -> tuple[str, str]:
    """`LABEL | DETAILS` from `/organize compute add`; ValueError saying what is wrong."""
    label, bar, details = text.partition("|")
    if not bar:
        raise ValueError("write it as `/organize compute add LABEL | DETAILS`")
    label, details = label.strip(), details.strip()
    problem = label_problem(label) or details_problem(details)
    if problem:
        raise ValueError(problem)
    return label, details


def gets_compute(team_size: int, minimum: int) -> bool:
    """Teams smaller than COMPUTE_MIN_TEAM_SIZE get none (later 🤗 events: no credit for a
    single-member team; they share a machine)."""
    return team_size >= minimum


# --- Hub usernames --------------------------------------------------------------------------
# The Hub publishes no rule for usernames. The nearest written one is huggingface_hub's
# `validate_repo_id` for a repo id's namespace (a user or an organisation): letters, digits,
# - _ and . ; at most 96; starting and ending with a letter, digit or _ ; "--" and ".." refused.
# Real accounts break the "--" part (huggingface/huggingface_hub#2008: huggingface.co/ram--charan),
# so it is not applied here. Lenient on purpose: refusing a real username costs a person their
# invitation; an odd one costs an organizer one failed invite.
HUB_USERNAME_MAX = 96
_HUB_USERNAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$")
_HUB_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?huggingface\.co/", re.IGNORECASE)


def hub_username(raw: str) -> str:
    """The Hub username in what a person typed (a leading @ or a pasted profile link is fine),
    or ValueError with what to fix."""
    value = _HUB_PREFIX.sub("", raw.strip()).strip("/").lstrip("@").strip()
    if not value:
        raise ValueError("Type your Hugging Face username, e.g. julien-c.")
    if len(value) > HUB_USERNAME_MAX:
        raise ValueError(f"A Hub username has at most {HUB_USERNAME_MAX} characters.")
    if not _HUB_USERNAME.match(value) or ".." in value:
        raise ValueError(
            "A Hub username has only letters, digits, - _ and . (starting and ending with a "
            "letter, digit or _), as in huggingface.co/julien-c: type the part after the /."
        )
    return value
