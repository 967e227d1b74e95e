"""Submitting the demo form and the judges' scoring form: one call each, and the one and only
ack (inline errors, or the modal's new state). The announcement is posted after the ack, by
the "post" lane (and finished by the scheduled catch-up if a restart interrupts it)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks import judging as judging_view
from slackbot.blocks import submission as submission_view
from slackbot.domain.demo_submission import DEMO, MODELS, NOTE, SUMMARY, VIDEO, DemoDraft
from slackbot.domain.judging import criterion_key
from slackbot.listeners.deferral import defer, runtime
from slackbot.listeners.payload import Malformed, mapping, number, optional_text, text, user_of
from slackbot.services import judging
from slackbot.services.demo_submissions import AnnounceDemo, Invalid, Refused, SubmitDemo
from slackbot.services.runtime import Runtime


def _value(values: dict[str, Any], block_id: str) -> str:
    """A text input's value, or a select's chosen option, by block id ("" if absent)."""
    block = values.get(block_id)
    if block is None:
        return ""
    if not isinstance(block, dict):
        raise Malformed(f"view.state.values.{block_id[:40]}")
    element = block.get("value")
    if element is None:
        return ""
    if not isinstance(element, dict):
        raise Malformed(f"view.state.values.{block_id[:40]}.value")
    if "selected_option" in element:
        option = element["selected_option"]
        return "" if option is None else text(option, "value")
    return optional_text(element, "value")


def _project(view: dict[str, Any]) -> int:
    return number(optional_text(view, "private_metadata"))


def handle_demo_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    values = mapping(view, "state", "values")
    draft = DemoDraft(
        demo_url=_value(values, DEMO),
        summary=_value(values, SUMMARY),
        models=_value(values, MODELS),
        video_url=_value(values, VIDEO),
        jury_note=_value(values, NOTE),
    )
    user = user_of(body)
    result = runtime(context).bus.handle(SubmitDemo(user, _project(view), draft))
    if isinstance(result, Invalid):
        ack(response_action="errors", errors=result.errors)
    elif isinstance(result, Refused):
        ack(response_action="update", view=submission_view.status_view("Not saved", result.message))
    else:
        pid, version = result.proposal.id, result.submission.version
        defer(context, "announce_demo", {"proposal_id": pid}, key=f"demo:{pid}:{version}")
        title = "Demo submitted" if result.created else "Demo saved"
        message = submission_view.saved_text(
            result.proposal, result.submission, created=result.created
        )
        ack(response_action="update", view=submission_view.status_view(title, message))


def announce_demo(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred (the "post" lane): the announcement, or its update after an edit."""
    rt.bus.handle(AnnounceDemo(int(request["proposal_id"])))


def handle_score_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    rt = runtime(context)
    values = mapping(view, "state", "values")
    given = {
        criterion_key(c): _value(values, criterion_key(c)) for c in rt.settings.JUDGING_CRITERIA
    }
    command = judging.ScoreDemo(
        user_of(body), _project(view), given, _value(values, judging_view.COMMENT)
    )
    result = rt.bus.handle(command)
    if isinstance(result, judging.Invalid):
        ack(response_action="errors", errors=result.errors)
    elif isinstance(result, judging.Refused):
        ack(response_action="update", view=submission_view.status_view("Not saved", result.message))
    else:
        message = judging_view.scores_saved(result.proposal.name, result.changed)
        ack(response_action="update", view=submission_view.status_view("Scores saved", message))
