"""Submitting a proposal: a command in, a result out (the first use case in the shape issue 23
asks of every one: the listener parses Slack's payload into `SubmitProposal` or `PostAnyway`,
makes one call, `bus.handle(command)`, and renders the result with `blocks/`). `PostProposal`
is the deferred posting that follows: it posts, then shows the outcome in the modal and a DM.
Each handler names what it uses (the unit of work, the Hub checks, the Messenger port...).

Only what cannot be posted is refused (`NotPostable`). The guide's advice on the draft (a vague
name, a model it cannot find) and the same idea in the same language become one "Before you
post" step (`BeforeYouPost`; the draft is held server-side), each piece of advice shown once per
wording. Otherwise the proposal is stored (`Stored`), keyed on the modal's view id, so a
repeated submission stores nothing new; posting it is the caller's deferred work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slackbot.blocks.proposal_status import saved_dm, variant_dm
from slackbot.config import Settings
from slackbot.domain.advice import NOTES, Advice, Code, advise, step_advice
from slackbot.domain.hub import hub_refs, model_tasks
from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import Standing
from slackbot.domain.teams import BUTTON, Signal
from slackbot.domain.validation import Draft, validate
from slackbot.machinery.refresher import Refresher
from slackbot.services.deadlines import closed_to_proposals
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.hub_checks import HubChecks
from slackbot.services.joining import take_signal
from slackbot.services.ports import Messenger
from slackbot.services.posting import Poster, confirm_to_proposer, publish
from slackbot.services.similar_projects import Match, find_similar
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.submission")


@dataclass(frozen=True)
class SubmitProposal:
    user: str
    view_id: str  # the modal's: a repeated submission is the same proposal
    draft: Draft
    seen: frozenset[int] = frozenset()  # similar projects the step showed already
    advised: frozenset[str] = frozenset()  # advice the step showed already


@dataclass(frozen=True)
class PostAnyway:
    """ "Post as it is" on the "Before you post" step: the held draft, stored."""

    user: str
    draft_key: str
    advised: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PostProposal:
    """Post a stored proposal (the "post" lane's work), then show the outcome in the modal
    (`view_id`) and in a DM to `user`."""

    proposal_id: int
    view_id: str
    user: str
    note: bool  # a note the proposer has not seen yet comes with the outcome
    notes: tuple[str, ...] | None = None  # their keys (None: an older request, the one note)


@dataclass(frozen=True)
class ProposalsClosed:
    message: str


@dataclass(frozen=True)
class NotPostable:
    errors: dict[str, str]  # block id -> what to fix, for the modal's inline errors


@dataclass(frozen=True)
class BeforeYouPost:
    name: str
    advice: list[Advice]
    similar: list[tuple[Proposal, Standing | None]]
    draft_key: str
    seen: list[int] = field(default_factory=list)
    advised: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DraftGone:
    """The held draft is gone (held too long, or by someone else)."""


@dataclass(frozen=True)
class Stored:
    proposal: Proposal
    created: bool  # False: a repeated submission of a proposal stored already
    note: bool  # a note the proposer has not seen yet comes with the outcome
    view_id: str  # the modal that shows the posting's progress
    notes: tuple[str, ...] = ()  # those notes' keys (the Hub's among them)
    channel_id: str = ""  # where it is being posted


SubmissionResult = ProposalsClosed | NotPostable | BeforeYouPost | Stored


def submit(
    command: SubmitProposal, uow: UnitOfWork, hub: HubChecks, settings: Settings, channel_id: str
) -> SubmissionResult:
    closed = closed_to_proposals(settings)
    if closed:
        return ProposalsClosed(closed)
    draft, user = command.draft, command.user
    errors = validate(draft)
    if errors:
        log.info("proposal_invalid user=%s fields=%s", user, ",".join(sorted(errors)))
        return NotPostable(errors)
    # What the Hub has not answered within the time box is left out (Slack wants the ack
    # within 3 s); what it said of the model's task helps tell similar ideas apart.
    facts = hub.check(hub_refs(draft.answers))
    tasks = model_tasks(draft.get("model"), facts)
    matches = find_similar(uow.proposals, draft, author=user, model_tasks=tasks)
    advice = step_advice(draft, set(command.advised), facts)
    same = [m for m in matches if m.same_language and m.proposal.id not in command.seen]
    if advice or same:
        with uow:
            uow.proposals.hold_draft(command.view_id, user, draft)
            uow.commit()
        shown = [m.proposal for m in same]
        standings = {s.proposal_id: s for s in uow.rankings.standings([p.id for p in shown])}
        log.info(
            "proposal_step_shown user=%s advice=%s matches=%s",
            user,
            ",".join(a.code.value for a in advice),
            ",".join(str(p.id) for p in shown),
        )
        return BeforeYouPost(
            name=draft.get("name"),
            advice=advice,
            similar=[(p, standings.get(p.id)) for p in shown],
            draft_key=command.view_id,
            seen=sorted(set(command.seen) | {p.id for p in shown}),
            advised=sorted(set(command.advised) | {a.key for a in advice}),
        )
    return _store(uow, hub, channel_id, user, draft, command.view_id, matches, set(command.advised))


def post_anyway(
    command: PostAnyway, uow: UnitOfWork, hub: HubChecks, channel_id: str
) -> DraftGone | Stored:
    draft = uow.proposals.held_draft(command.draft_key, command.user)
    if draft is None:
        return DraftGone()
    tasks = model_tasks(draft.get("model"), hub.known(hub_refs(draft.answers)))
    matches = find_similar(uow.proposals, draft, author=command.user, model_tasks=tasks)
    key, advised = command.draft_key, set(command.advised)
    return _store(uow, hub, channel_id, command.user, draft, key, matches, advised)


def _store(
    uow: UnitOfWork,
    hub: HubChecks,
    channel_id: str,
    user: str,
    draft: Draft,
    key: str,
    matches: list[Match],
    advised: set[str],
) -> Stored:
    facts = hub.known(hub_refs(draft.answers))
    notes = [a for a in advise(draft, facts) if not a.blocking and a.key not in advised]
    variants = [m.proposal.id for m in matches if not m.same_language]
    with uow:
        proposal, created = uow.proposals.create(
            draft,
            user,
            submission_key=key,
            min_team_size=draft.min_team_size,
            variants=variants,
            model_tasks=model_tasks(draft.get("model"), facts),
        )
        uow.commit()
    log.info("proposal_stored proposal_id=%s user=%s new=%s", proposal.id, user, created)
    return Stored(
        proposal,
        created,
        note=bool(notes),
        view_id=key,
        notes=tuple(a.key for a in notes),
        channel_id=channel_id,
    )


@dataclass(frozen=True)
class Posted:
    """Posted just now: the modal and a DM say so, with the notes the proposer has not seen."""

    proposal: Proposal
    channel_id: str
    join_emoji: str
    notes: tuple[Advice, ...] = ()


@dataclass(frozen=True)
class SavedForRetry:
    """Slack refused the post: it is saved, and the retry job posts it (the proposer was
    told in a DM)."""


def _notes(hub: HubChecks, proposal: Proposal, keys: tuple[str, ...] | None) -> tuple[Advice, ...]:
    """The notes the proposer has not seen, for the outcome (`keys` None: an older request
    that only said there was one, the note on a model outside 🤗 Transformers)."""
    if keys is None:
        model = proposal.answers.get("model", "")
        return (Advice(Code.OUTSIDE_TRANSFORMERS, "model", model),)
    facts = hub.known(hub_refs(proposal.answers))
    return tuple(a for a in advise(proposal.draft, facts) if a.code in NOTES and a.key in keys)


def post_stored(cmd: PostProposal, poster: Poster) -> Posted | SavedForRetry | None:
    """Post a stored proposal, then tell the proposer in a DM (the caller shows the outcome
    in the modal); the earlier posts of the same idea in other languages link back to it.
    None: nothing to say (posted earlier, or the retry job is posting it right now)."""
    uow, messenger, hub, updates = poster.uow, poster.messenger, poster.hub, poster.updates
    channel_id, join_emoji = poster.channel_id, poster.join_emoji
    result = publish(poster, cmd.proposal_id)
    if result.fresh and result.proposal is not None:
        posted = result.proposal
        notes = _notes(hub, posted, cmd.notes) if cmd.note else ()
        confirm_to_proposer(posted, messenger=messenger, join_emoji=join_emoji)
        _tell_variant_proposers(posted, uow, messenger, updates)
        return Posted(posted, channel_id, join_emoji, notes)
    if result.posted or result.error == "in progress":
        # Posted earlier, or the retry job is posting it right now: whoever posts it tells the
        # proposer.
        return None
    messenger.dm(cmd.user, saved_dm(result.proposal.name if result.proposal else None))
    return SavedForRetry()


def _tell_variant_proposers(
    posted: Proposal, uow: UnitOfWork, messenger: Messenger, updates: Refresher
) -> None:
    """The earlier posts of the same idea link back to this one (redrawn within the
    chat.update budget), and their proposers hear of it."""
    for variant in uow.proposals.get_many(posted.variants or []).values():
        updates.mark(variant.id)
        messenger.dm(variant.proposer_id, variant_dm(variant, posted))


# --- the "Before you post" step's buttons ---------------------------------------------------
@dataclass(frozen=True)
class JoinedInstead:
    """The proposer joined the existing team instead of posting the same idea."""

    proposal: Proposal
    waitlisted: bool


@dataclass(frozen=True)
class JoinInstead:
    """ "Join" on a similar project the step showed, instead of posting the same idea."""

    user: str
    proposal_id: int
    at: float  # the click's time


def join_instead(
    cmd: JoinInstead,
    uow: UnitOfWork,
    settings: Settings,
    organizers: OrganizerDirectory,
    updates: Refresher,
) -> JoinedInstead | None:
    """Join the similar project shown in the step (None: it takes no members, or it is the
    person's own)."""
    with uow:
        proposal: Proposal | None = uow.proposals.get(cmd.proposal_id)
        if proposal is None or proposal.proposer_id == cmd.user:
            return None
        signal = Signal(cmd.user, BUTTON, True, cmd.at)
        change = take_signal(uow, settings, organizers, updates, proposal, signal)
        uow.commit()
    if change is None:
        return None
    log.info("joined_by_button proposal_id=%s user=%s", proposal.id, cmd.user)
    place = uow.memberships.place(proposal, cmd.user) or ("",)
    return JoinedInstead(proposal, waitlisted=place[0] == "waitlist")


@dataclass(frozen=True)
class BackToDraft:
    """ "Back to my draft" on the "Before you post" step."""

    user: str
    draft_key: str


def held_draft(cmd: BackToDraft, uow: UnitOfWork) -> Draft | DraftGone:
    """The draft the step holds for the person (DraftGone: held too long, or someone else's)."""
    draft = uow.proposals.held_draft(cmd.draft_key, cmd.user)
    return DraftGone() if draft is None else draft


COMMANDS = {
    SubmitProposal: submit,
    PostAnyway: post_anyway,
    PostProposal: post_stored,
    BackToDraft: held_draft,
    JoinInstead: join_instead,
}
