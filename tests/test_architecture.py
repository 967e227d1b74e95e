"""SQL lives in slackbot/store and nowhere else.

Every module under slackbot/ outside slackbot/store/ is parsed (not imported) and searched for
SQL: a string constant (an f-string's literal parts joined, or strings joined with +) that reads
as an SQL statement, or a call that runs SQL on whatever it is called on (`.execute(`,
`.executemany(`, `.executescript(`, and the store's own `.tuples(`). Nothing is allowed: a
service, a listener or the stand-in of Slack that needs the database calls a repository method
of slackbot/store, named for what it means.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import slackbot

PACKAGE = Path(slackbot.__file__).parent
STORE = PACKAGE / "store"

# Case-insensitive, across lines. A SELECT needs a table after its FROM, not prose ("select
# a team from the list" is a sentence).
SQL = re.compile(
    r"\bSELECT\s.+?\sFROM\s+(?!(the|a|an|your|my|our|this|that|these|those)\b)[\w\"(\[?]"
    r"|\b(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|ALTER\s+TABLE"
    r"|CREATE\s+(UNIQUE\s+)?(TABLE|INDEX|TRIGGER|VIEW)|DROP\s+(TABLE|INDEX|TRIGGER|VIEW)"
    r"|BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)|PRAGMA)\b",
    re.IGNORECASE | re.DOTALL,
)
RUNS_SQL = {"execute", "executemany", "executescript", "tuples"}
HOLE = "?"  # what stands for an f-string's {expression} when its text is read


def _text(node: ast.expr) -> str | None:
    """The text a string expression spells (an f-string with its holes as "?"), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else HOLE for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is not None or right is not None:
            return (left or HOLE) + (right or HOLE)
    return None


def sql_in(source: str, filename: str = "<snippet>") -> list[str]:
    """Where `source` holds SQL: "line N: ..." for each string or call found."""
    found = []
    read: set[int] = set()  # the parts of a string already read as a whole
    for node in ast.walk(ast.parse(source, filename)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in RUNS_SQL
        ):
            found.append(f"line {node.lineno}: calls .{node.func.attr}(")
        if isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp) and id(node) not in read:
            text = _text(node)
            if text is None:
                continue
            read.update(id(part) for part in ast.walk(node) if part is not node)
            match = SQL.search(text)
            if match:
                found.append(f"line {node.lineno}: SQL {match.group(0)[:60]!r}")
    return found


def modules_outside_the_store() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py") if STORE not in path.parents and path != STORE
    )


def test_no_sql_outside_the_store() -> None:
    modules = modules_outside_the_store()
    assert PACKAGE / "services" / "alerting.py" in modules  # the walk found the package
    assert not any(STORE in path.parents for path in modules)
    offenders = {
        str(path.relative_to(PACKAGE.parent)): found
        for path in modules
        if (found := sql_in(path.read_text(encoding="utf-8"), str(path)))
    }
    assert offenders == {}, (
        "SQL belongs in slackbot/store: move it into a repository method named for what it "
        f"means, and call that. Found: {offenders}"
    )


@pytest.mark.parametrize(
    "snippet",
    [
        'rt.store.conn.execute("SELECT outcome FROM join_requests WHERE user_id = ?", (u,))',
        'rows = rt.store.tuples("select id from proposals")',
        "conn.executemany(sql, rows)",
        "conn.executescript(script)",
        'QUERY = (\n    "UPDATE alerts SET reminded_at = ? "\n    "WHERE proposal_id = ?"\n)',
        'sql = f"SELECT {columns} FROM {table} WHERE id = ?"',
        'sql = "INSERT OR IGNORE INTO " + table + " VALUES (?)"',
        'total = len("rows: " + str(rt.store.conn.execute(count).fetchone()))',
        'STATEMENT = """\n    delete from notices\n    where sent_at < ?\n"""',
        'conn.run("BEGIN IMMEDIATE")',
        'x = f"PRAGMA user_version={n}"',
        'SCHEMA = "CREATE TABLE teams (proposal_id INTEGER)"',
    ],
)
def test_the_check_finds_sql(snippet: str) -> None:
    assert sql_in(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        '"""Select a project, then pick one from the list."""',
        'text = "Choose a team from the menu, or select one from your projects."',
        'text = f"{name} is an official team: I asked the organizers to add you."',
        "rt.client.chat_update(channel=channel, ts=ts, text=text)",
        "with rt.store.transaction():\n    requests.ask(proposal.id, user)",
    ],
)
def test_the_check_leaves_other_code_alone(snippet: str) -> None:
    assert sql_in(snippet) == [], snippet


def test_every_listener_function_is_short() -> None:
    """A listener parses a payload into a command, makes one call and renders the result: more
    than ~30 lines means a use case has moved in (issue 23)."""
    long = []
    for path in sorted((PACKAGE / "listeners").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            lines = (node.end_lineno or 0) - node.lineno + 1 if isinstance(node, ast.stmt) else 0
            if isinstance(node, ast.FunctionDef) and lines > 30:
                long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert long == []


def test_listeners_reach_repositories_and_slack_only_through_services() -> None:
    """The import contract keeps `slackbot.store` and `slackbot.slack` out of listeners; this
    keeps out the runtime's repositories and clients too (`rt.uow.proposals.get(…)` in a
    listener is a use case that moved in)."""
    parts = (
        "proposals|memberships|rankings|store|client|ui_client|uow|hub|inbox|people|audit"
        "|visitors|digest_runs|leases|search|messenger"
    )
    reach = re.compile(rf"\brt\.({parts})\b")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted((PACKAGE / "listeners").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if reach.search(line)
    ]
    assert found == []


# Services say what happened (domain.answers); the words and their mrkdwn are in blocks/
# (replies.py for answers; notice_messages.py, organizer_alert.py, organizer_news.py,
# proposal_status.py, team_welcome.py… for the messages services send). A service that writes
# mrkdwn with the helpers must be named here with its reason (none does):
MRKDWN_HELPERS = {"escape", "mention", "mentions", "link"}
WRITES_MESSAGES: dict[str, str] = {}


def test_services_answer_with_facts_not_mrkdwn() -> None:
    from dataclasses import fields

    from slackbot.services.outcome import Outcome

    assert {f.name for f in fields(Outcome)} == {"ok", "said", "errors"}
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / "services").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "slackbot.blocks.mrkdwn":
                used = {a.name for a in node.names} & MRKDWN_HELPERS
                if used:
                    found[path.stem] = used
    unexplained = {m: sorted(h) for m, h in found.items() if m not in WRITES_MESSAGES}
    assert not unexplained, f"services answer with domain.answers, not mrkdwn: {unexplained}"
    stale = set(WRITES_MESSAGES) - set(found)
    assert not stale, f"no longer writes mrkdwn, drop from WRITES_MESSAGES: {stale}"


def test_the_use_cases_write_through_the_unit_of_work() -> None:
    """A use case's transaction is its unit of work's (`with uow: … uow.commit()`): a service
    that opens the store's own transaction has a write with no owner (issue 23)."""
    opened = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted((PACKAGE / "services").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "store.transaction(" in line
    ]
    assert opened == []


# What a listener may send through the bus besides its one use case: its answer, delivered.
DELIVERY = {"Reply", "OpenView", "UpdateModal", "ShowInModal"}


def _use_case_calls(node: ast.AST) -> int:
    """`….bus.handle(Command(…))` calls whose command is a use case, not a delivery."""
    found = 0
    for call in ast.walk(node):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        if call.func.attr != "handle":
            continue
        made = call.args[0] if call.args else None
        name = None
        if isinstance(made, ast.Call):
            name = getattr(made.func, "id", None) or getattr(made.func, "attr", None)
        found += name not in DELIVERY
    return found


def _returns(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Return)


def _most_on_a_path(body: list[ast.stmt]) -> int:
    """The most use-case calls any one run through `body` makes (branches are alternatives)."""
    total = 0
    for i, statement in enumerate(body):
        if not isinstance(statement, ast.If):
            total += _use_case_calls(statement)
            continue
        test = _use_case_calls(statement.test)
        then, other = _most_on_a_path(statement.body), _most_on_a_path(statement.orelse)
        rest = _most_on_a_path(body[i + 1 :])
        if _returns(statement.body):
            then -= rest
        if _returns(statement.orelse):
            other -= rest
        return total + test + max(then, other) + rest
    return total


def test_every_listener_makes_one_use_case_call() -> None:
    """A listener parses a payload into a command and hands it to the bus once; what else it
    sends through the bus delivers that one answer (issue 23)."""
    more = []
    for path in sorted((PACKAGE / "listeners").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and _most_on_a_path(node.body) > 1:
                more.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert more == []


@pytest.mark.parametrize(
    ("source", "calls"),
    [
        ("def f(rt):\n    rt.bus.handle(A())\n    rt.bus.handle(Reply(x, y))\n", 1),
        ("def f(rt):\n    rt.bus.handle(A())\n    rt.bus.handle(B())\n", 2),
        (
            "def f(rt):\n    if x:\n        rt.bus.handle(A())\n        return\n"
            "    rt.bus.handle(B())\n",
            1,
        ),
        ("def f(rt):\n    if x:\n        rt.bus.handle(A())\n    rt.bus.handle(B())\n", 2),
    ],
)
def test_the_count_of_use_case_calls_follows_the_paths(source: str, calls: int) -> None:
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert _most_on_a_path(function.body) == calls


def test_no_use_case_takes_the_runtime() -> None:
    """Handlers name what they need and the bootstrap gives exactly that: no service module
    reaches for the runtime (the container the listeners, jobs and CLI hold), and it is built
    in one step (frozen: nothing is set on it afterwards)."""
    from dataclasses import fields

    from slackbot.services.runtime import Runtime

    reach = [
        path.name
        for path in sorted((PACKAGE / "services").glob("*.py"))
        if path.name != "runtime.py" and "slackbot.services.runtime" in path.read_text()
    ]
    assert reach == []
    assert Runtime.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert all(f.init for f in fields(Runtime))


def test_every_command_has_a_fast_test() -> None:
    """The fast tier covers every handler: each command of each use case the bus carries is
    named in a test under tests/services (run through the bus on a real unit of work)."""
    from slackbot.bootstrap import USE_CASES

    fast = [p.read_text() for p in (Path(__file__).parent / "services").glob("test_*.py")]
    untested = [
        f"{module.__name__}.{command.__name__}"  # type: ignore[attr-defined]
        for module in USE_CASES
        for command in getattr(module, "COMMANDS", {})
        if not any(re.search(rf"\b{command.__name__}\b", text) for text in fast)
    ]
    assert untested == []
