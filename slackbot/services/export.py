"""The organizers' sheet: one row per project, as CSV or JSON, with the audit trail. Every
template section is a column, under the title the post shows it with. The teams' demo
submissions come with it (one row per team); the judges' scores only when asked for
(`scores=True`: they are private until the results), one row per judge, project and criterion.

A CSV file holds one table: the projects sheet carries each team's demo in its Demo columns,
and with the scores the CSV is the scores sheet instead. JSON holds them all, under
"projects", "audit", "submissions" and (asked for) "scores".

The same rows go to `slackbot export` and to an organizer's DM (files_upload_v2: the old
files.upload is retired).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from slackbot.config import Settings
from slackbot.domain.audit import describe
from slackbot.domain.judging import criterion_key
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import STATUS_LABELS
from slackbot.domain.template import SECTIONS, Kind, Section
from slackbot.domain.validation import lines_of
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.export")

# The template's sections under their titles (as on the post), then the team's columns.
SECTION_COLUMNS = [s.title for s in SECTIONS]
COLUMNS = [
    "ID",
    *SECTION_COLUMNS,
    "Proposer",
    "Proposer name",
    "Status",
    "Members",
    "Member names",
    "Hub usernames",
    "Waitlist",
    "Waitlist names",
    "Team channel",
    "Official since",
    "Made official by",
    "Compute",
    "Link",
    "Audit",
]
# A team's demo submission (the projects sheet carries them too, after its own columns).
SUBMISSION_COLUMNS = [
    "ID",
    "Project",
    "Demo",
    "Space",
    "Model repositories",
    "Summary",
    "Video",
    "Jury note",
    "Submitted",
    "Updated",
    "Submitted by",
    "Submitted by name",
    "Updated by",
    "Updated by name",
    "Version",
]
DEMO_COLUMNS = [c for c in SUBMISSION_COLUMNS if c not in ("ID", "Project")]
SCORE_COLUMNS = [
    "Judge",
    "Judge name",
    "ID",
    "Project",
    "Criterion",
    "Score",
    "Comment",
    "Scored",
]
LISTS = ("Members", "Member names", "Hub usernames", "Waitlist", "Waitlist names")
# Only `slackbot export --with-secrets` has it: what each team was given to connect.
SECRET_COLUMNS = ["Compute details"]
LIST_SECTIONS = {s.id for s in SECTIONS if s.kind in (Kind.ITEMS, Kind.LINKS)}


def _answer(proposal: Proposal, section: Section) -> str:
    if section.kind is Kind.LANGUAGES:
        return ", ".join(proposal.language_names)
    value = proposal.answers.get(section.id, "").strip()
    if section.id in LIST_SECTIONS:
        return " | ".join(lines_of(value))
    return value


def _iso(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds") if ts else ""


def _minute(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M")


def project_rows(uow: UnitOfWork, *, with_secrets: bool = False) -> list[dict[str, Any]]:
    """One row per project; people by ID and by name (the names read from Slack and kept in
    the database: an export reads only the database). A team's compute is its label; the
    details are in "Compute details" only `with_secrets`."""
    official = uow.memberships.official_teams()
    entries = uow.audit.entries()
    proposals = [p for p in uow.proposals.with_status(*Status) if p.status is not Status.PENDING]
    teams = {p.id: uow.memberships.team(p) for p in proposals}
    everyone = {e.actor for e in entries} | {p.proposer_id for p in proposals}
    for team in teams.values():
        everyone.update(team.members, team.waitlist)
    names = uow.people.names(everyone)
    hub = uow.hub.of(everyone)
    given = uow.compute.given()

    def name_of(user: str) -> str:
        return names.get(user, user)

    audit_by_project: dict[int, list[str]] = {}
    for entry in entries:
        if entry.proposal_id is not None:
            audit_by_project.setdefault(entry.proposal_id, []).append(
                f"{_minute(entry.at)} {describe(entry, name_of)}"
            )
    out = []
    for proposal in proposals:
        team = teams[proposal.id]
        made_by, made_at = official.get(proposal.id, ("", None))
        out.append(
            {
                "ID": proposal.id,
                **{section.title: _answer(proposal, section) for section in SECTIONS},
                "Proposer": proposal.proposer_id,
                "Proposer name": name_of(proposal.proposer_id),
                "Status": STATUS_LABELS[team.status],
                "Members": team.members,
                "Member names": [name_of(u) for u in team.members],
                "Hub usernames": [hub.get(u, "(none)") for u in team.members],
                "Waitlist": team.waitlist,
                "Waitlist names": [name_of(u) for u in team.waitlist],
                "Team channel": uow.memberships.official_channel_name(proposal.id) or "",
                "Official since": _iso(made_at),
                "Made official by": made_by,
                "Compute": given[proposal.id].label if proposal.id in given else "",
                "Link": proposal.permalink or "",
                "Audit": audit_by_project.get(proposal.id, []),
            }
        )
        if with_secrets:
            allocation = given.get(proposal.id)
            # an older version's free text, when the team has no allocation from the pool
            out[-1]["Compute details"] = (
                allocation.details if allocation else (proposal.compute or "")
            )
    return out


def pool(uow: UnitOfWork, *, with_secrets: bool = False) -> list[dict[str, Any]]:
    """The compute pool, one entry per allocation (the details only `with_secrets`)."""
    out = []
    for allocation in uow.compute.all():
        entry: dict[str, Any] = {
            "label": allocation.label,
            "kind": allocation.kind,
            "note": allocation.note,
            "state": allocation.state,
            "project": allocation.proposal_id,
        }
        if with_secrets:
            entry["details"] = allocation.details
        out.append(entry)
    return out


def hub_invite_list(uow: UnitOfWork) -> str:
    """`slackbot export --hub-invites`: one username per line, of every official member who
    gave one."""
    from slackbot.services.hub_access import invites

    names = invites(uow)
    return "".join(f"{name}\n" for name in names)


def submission_rows(uow: UnitOfWork) -> list[dict[str, Any]]:
    """One row per team that submitted its demo; "Space" is the Space's owner/name when the
    demo is a Hugging Face Space (empty when it is another link)."""
    submissions = uow.demo_submissions.all()
    proposals = uow.proposals.get_many([s.proposal_id for s in submissions])
    names = uow.people.names(
        {s.submitted_by for s in submissions} | {s.updated_by for s in submissions}
    )
    out = []
    for s in submissions:
        proposal = proposals.get(s.proposal_id)
        out.append(
            {
                "ID": s.proposal_id,
                "Project": proposal.name if proposal is not None else "",
                "Demo": s.demo_url,
                "Space": s.space or "",
                "Model repositories": s.model_repos,
                "Summary": s.summary,
                "Video": s.video_url,
                "Jury note": s.jury_note,
                "Submitted": _iso(s.submitted_at),
                "Updated": _iso(s.updated_at),
                "Submitted by": s.submitted_by,
                "Submitted by name": names.get(s.submitted_by, s.submitted_by),
                "Updated by": s.updated_by,
                "Updated by name": names.get(s.updated_by, s.updated_by),
                "Version": s.version,
            }
        )
    return out


def score_rows(uow: UnitOfWork, settings: Settings) -> list[dict[str, Any]]:
    """Every score with its judge: one row per judge, project and criterion (the criteria as
    JUDGING_CRITERIA names them; a score kept for a criterion no longer named keeps its key)."""
    scores = uow.scores.all()
    proposals = uow.proposals.get_many(sorted({s.proposal_id for s in scores}))
    names = uow.people.names({s.judge_id for s in scores})
    titles = {criterion_key(c): c for c in settings.JUDGING_CRITERIA}
    order = list(titles)
    out = []
    for score in scores:
        proposal = proposals.get(score.proposal_id)
        keys = [k for k in order if k in score.scores] + sorted(
            k for k in score.scores if k not in titles
        )
        for key in keys:
            out.append(
                {
                    "Judge": score.judge_id,
                    "Judge name": names.get(score.judge_id, score.judge_id),
                    "ID": score.proposal_id,
                    "Project": proposal.name if proposal is not None else "",
                    "Criterion": titles.get(key, key),
                    "Score": score.scores[key],
                    "Comment": score.comment,
                    "Scored": _iso(score.scored_at),
                }
            )
    return out


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is quoted with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(
    data: list[dict[str, Any]],
    demos: list[dict[str, Any]] | None = None,
    *,
    with_secrets: bool = False,
) -> str:
    """The projects sheet; each team's demo (from `demos`) in its Demo columns."""
    by_project = {d["ID"]: d for d in demos or []}
    buffer = io.StringIO()
    secret = SECRET_COLUMNS if with_secrets else []
    writer = csv.DictWriter(buffer, fieldnames=[*COLUMNS, *DEMO_COLUMNS, *secret])
    writer.writeheader()
    for row in data:
        demo = by_project.get(row["ID"], {})
        flat = {
            **row,
            **{key: ", ".join(row[key]) for key in LISTS},
            "Audit": "\n".join(row["Audit"]),  # one line per entry, in one cell
            **{key: demo.get(key, "") for key in DEMO_COLUMNS},
            "Model repositories": ", ".join(demo.get("Model repositories", [])),
        }
        writer.writerow({key: _cell(value) for key, value in flat.items()})
    return buffer.getvalue()


def scores_csv(
    data: list[dict[str, Any]],
    *,
    with_secrets: bool = False,
) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SCORE_COLUMNS)
    writer.writeheader()
    for row in data:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()


def to_json(
    uow: UnitOfWork,
    data: list[dict[str, Any]],
    demos: list[dict[str, Any]] | None = None,
    scores: list[dict[str, Any]] | None = None,
    *,
    with_secrets: bool = False,
) -> str:
    def kept(action: str, value: Any) -> Any:
        # an older version's free-text compute may hold a machine's details
        return value if with_secrets or action != "set_compute" else None

    audit = [
        {
            "at": _iso(e.at),
            "actor": e.actor,
            "action": e.action,
            "project": e.proposal_id,
            "before": kept(e.action, e.before),
            "after": kept(e.action, e.after),
        }
        for e in uow.audit.entries()
    ]
    sheet: dict[str, Any] = {
        "projects": data,
        "compute": pool(uow, with_secrets=with_secrets),
        "audit": audit,
        "submissions": demos or [],
    }
    if scores is not None:
        sheet["scores"] = scores
    return json.dumps(sheet, indent=2, ensure_ascii=False)


def sheet(
    uow: UnitOfWork,
    settings: Settings,
    fmt: str,
    *,
    with_secrets: bool = False,
    scores: bool = False,
) -> str:
    """The sheet as CSV or JSON; `scores` adds the judges' scores (in CSV: the scores sheet);
    `with_secrets` the compute details."""
    if fmt == "csv" and scores:
        return scores_csv(score_rows(uow, settings))
    data, demos = project_rows(uow, with_secrets=with_secrets), submission_rows(uow)
    if fmt == "csv":
        return to_csv(data, demos, with_secrets=with_secrets)
    return to_json(
        uow,
        data,
        demos,
        score_rows(uow, settings) if scores else None,
        with_secrets=with_secrets,
    )


def send_to_organizer(
    organizer: str,
    fmt: str,
    *,
    scores: bool = False,
    uow: UnitOfWork,
    settings: Settings,
    messenger: Messenger,
) -> str:
    """Upload the sheet into the organizer's DM with the bot; returns the file id (what Slack
    raised is raised: the organizer's request is tried again)."""
    content = sheet(uow, settings, fmt, scores=scores)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    file_id = messenger.upload(
        organizer,
        content,
        filename=f"community-week-{'scores' if scores else 'projects'}-{stamp}.{fmt}",
        title=f"Community week {'scores' if scores else 'projects'} ({fmt.upper()})",
        comment=(
            "The judges' scores, as of now: private, keep them among the organizers."
            if scores
            else "The organizers' sheet, as of now."
        ),
    )
    log.info(
        "export_uploaded organizer=%s format=%s scores=%s file=%s", organizer, fmt, scores, file_id
    )
    return file_id


@dataclass(frozen=True)
class ExportSheet:
    """The sheet as text (`slackbot export`, the demo): CSV or JSON."""

    fmt: str
    with_secrets: bool = False
    scores: bool = False


def export_sheet(cmd: ExportSheet, uow: UnitOfWork, settings: Settings) -> str:
    return sheet(uow, settings, cmd.fmt, with_secrets=cmd.with_secrets, scores=cmd.scores)


COMMANDS = {ExportSheet: export_sheet}
