"""A team's demo submission at the end of the week, as plain values and rules: what the form
asks (the demo link, the model repositories on the Hub, a summary, a video, a note for the
jury), which answers are refused (only what cannot be shown: a missing demo or summary, a link
that is not https, a summary over its limit), and what a Hugging Face Space link is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from slackbot.domain.validation import is_http_url

SUMMARY_MAX = 500
LINK_MAX = 500
NOTE_MAX = 1000
MODELS_MAX = 1000

# The form's fields (its block ids, and the keys of a draft).
DEMO, MODELS, SUMMARY, VIDEO, NOTE = "demo_url", "models", "summary", "video_url", "jury_note"

_SPACE = re.compile(r"^/spaces/([\w.-]+)/([\w.-]+)/?")
_REPO = re.compile(r"^[\w.-]+/[\w.-]+$")


@dataclass(frozen=True)
class DemoDraft:
    """What a member typed in the form."""

    demo_url: str
    summary: str
    models: str = ""  # one repository per line (or comma-separated), names or Hub URLs
    video_url: str = ""
    jury_note: str = ""

    def cleaned(self) -> DemoDraft:
        return DemoDraft(
            demo_url=self.demo_url.strip(),
            summary=self.summary.strip(),
            models=self.models.strip(),
            video_url=self.video_url.strip(),
            jury_note=self.jury_note.strip(),
        )


@dataclass(frozen=True)
class DemoSubmission:
    """A team's submission as stored (one per team, the proposal's id is the team's)."""

    proposal_id: int
    demo_url: str
    summary: str
    models: str
    video_url: str
    jury_note: str
    submitted_by: str
    submitted_at: float
    updated_by: str
    updated_at: float
    version: int  # 1, then one more per edit

    @property
    def draft(self) -> DemoDraft:
        return DemoDraft(self.demo_url, self.summary, self.models, self.video_url, self.jury_note)

    @property
    def space(self) -> str | None:
        return hf_space(self.demo_url)

    @property
    def model_repos(self) -> list[str]:
        return model_repos(self.models)


def hf_space(url: str) -> str | None:
    """ "owner/name" when `url` is a Hugging Face Space (huggingface.co/spaces/owner/name or
    owner-name.hf.space), else None."""
    try:
        parsed = urlparse(url.strip())
    except ValueError:
        return None
    host = (parsed.hostname or "").lower()
    if host in ("huggingface.co", "www.huggingface.co", "hf.co"):
        match = _SPACE.match(parsed.path)
        return f"{match.group(1)}/{match.group(2)}" if match else None
    if host.endswith(".hf.space"):
        return host.removesuffix(".hf.space")
    return None


def model_repos(text: str) -> list[str]:
    """The repositories named, one per line or comma-separated, as "owner/name"."""
    out: list[str] = []
    for part in re.split(r"[\n,]+", text):
        name = part.strip()
        if not name:
            continue
        if name.startswith(("http://", "https://")):
            try:
                path = urlparse(name).path.strip("/")
            except ValueError:
                continue
            name = "/".join(path.split("/")[:2])
        if name not in out:
            out.append(name)
    return out


def hub_url(repo: str) -> str:
    return f"https://huggingface.co/{repo}"


def _https(url: str) -> bool:
    return is_http_url(url) and url.strip().lower().startswith("https://")


def validate_demo(draft: DemoDraft) -> dict[str, str]:
    """Field -> what to fix; empty when the submission can be stored."""
    d = draft.cleaned()
    errors: dict[str, str] = {}
    if not d.demo_url:
        errors[DEMO] = "The demo link is required: a Hugging Face Space, or any https link."
    elif len(d.demo_url) > LINK_MAX or not _https(d.demo_url):
        errors[DEMO] = (
            "Give an https link people can open, e.g. https://huggingface.co/spaces/you/demo."
        )
    if not d.summary:
        errors[SUMMARY] = "Say in a few sentences what the demo shows."
    elif len(d.summary) > SUMMARY_MAX:
        errors[SUMMARY] = f"At most {SUMMARY_MAX} characters ({len(d.summary)} now)."
    if d.video_url and (len(d.video_url) > LINK_MAX or not _https(d.video_url)):
        errors[VIDEO] = "Give an https link to the video, or leave it empty."
    if len(d.models) > MODELS_MAX:
        errors[MODELS] = f"At most {MODELS_MAX} characters."
    else:
        bad = [r for r in model_repos(d.models) if not _REPO.match(r)]
        if bad:
            errors[MODELS] = (
                f"“{bad[0][:60]}” is not a Hub repository: write owner/name, one per line, "
                "or the Hub link."
            )
    if len(d.jury_note) > NOTE_MAX:
        errors[NOTE] = f"At most {NOTE_MAX} characters."
    return errors
