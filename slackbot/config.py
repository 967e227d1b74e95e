"""Settings: one pydantic-settings class, read from the environment and an optional `.env`.

Nothing here runs at import time; `load_settings()` is called by the CLI at start-up and turns
every problem into one `ConfigError` whose message names each variable and how to fix it.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SLACK_API_DEFAULT = "https://slack.com/api/"

# Where each token comes from, for the start-up message: the newcomer should not need to search.
WELCOME_MAX = 2800  # a section's text holds 3000 characters

HOW_TO_FIX = {
    "SLACK_BOT_TOKEN": (
        "create the app from manifest.yml (api.slack.com/apps > Create New App > From a manifest), "
        "install it to the workspace, then copy 'Bot User OAuth Token' (xoxb-…) from "
        "OAuth & Permissions"
    ),
    "SLACK_APP_TOKEN": (
        "Basic Information > App-Level Tokens > Generate, with scope connections:write (xapp-…)"
    ),
    "SLACK_SIGNING_SECRET": (
        "Basic Information > App Credentials > Signing Secret "
        "(or set SLACK_APP_TOKEN to run in Socket Mode instead)"
    ),
}

FIND_MEMBER_ID = (
    "in Slack, click a person's name > View full profile > ⋮ (More) > Copy member ID "
    "(it looks like U012AB3CD)"
)
NO_ORGANIZERS = (
    "ORGANIZER_IDS is empty and ORGANIZERS_CHANNEL is not set, so nobody could make a "
    "team official. Set ORGANIZER_IDS to the organizers' member IDs, comma-separated ("
    + FIND_MEMBER_ID
    + "), or set ORGANIZERS_CHANNEL to a channel whose members are the organizers"
)


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class ConfigError(Exception):
    """Raised at start-up with one readable message listing every bad or missing setting."""


class Settings(BaseSettings):
    """Every setting of the bot. Environment variable names are the public interface."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    SLACK_BOT_TOKEN: str
    SLACK_APP_TOKEN: str | None = None
    SLACK_SIGNING_SECRET: str | None = None
    SLACK_API_URL: str = SLACK_API_DEFAULT
    PORT: int = Field(default=3000, ge=1, le=65535)
    HOST: str = "0.0.0.0"
    DATABASE_PATH: str = "community_week.db"
    PROPOSALS_CHANNEL: str = "flax-jax-community-week"
    ORGANIZER_IDS: Annotated[list[str], NoDecode] = Field(default_factory=list)
    ORGANIZERS_CHANNEL: str | None = None
    TEAM_SIZE_THRESHOLD: int = Field(default=3, ge=2, le=50)
    TEAM_SIZE_MAX: int = Field(default=10, ge=2, le=100)
    JOIN_EMOJI: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["raised_hand"])
    CREATE_TEAM_CHANNELS: bool = True
    # What an official team is told next, as its team channel's first message (the thread in
    # the proposals channel gets its own words): Markdown with {team_name}, {members},
    # {project_link}, {team_channel}, {organizers}. docs/team_welcome.example.md is a start.
    TEAM_WELCOME_FILE: str | None = None
    # Compute and Hub access of official teams: teams smaller than this get no compute of
    # their own; HUB_ORG names the week's organisation on the Hugging Face Hub.
    COMPUTE_MIN_TEAM_SIZE: int = Field(default=2, ge=1, le=50)
    HUB_ORG: str = Field(default="flax-community", min_length=1, max_length=96)
    # Deadlines (ISO times, in DIGEST_TIMEZONE unless they say otherwise): after the first,
    # /propose explains and offers /projects; after the second, joining stops and organizers
    # get one summary.
    PROPOSALS_CLOSE_AT: str | None = None
    TEAMS_CLOSE_AT: str | None = None
    # The end of the week (issue 27): official teams submit their demo until
    # SUBMISSIONS_CLOSE_AT (reminded 24 h and 2 h before); the jury (JUDGE_IDS, or the members
    # of JUDGES_CHANNEL) scores each on JUDGING_CRITERIA (1 to 5) until JUDGING_CLOSES_AT.
    SUBMISSIONS_CLOSE_AT: str | None = None
    JUDGING_CLOSES_AT: str | None = None
    JUDGE_IDS: Annotated[list[str], NoDecode] = Field(default_factory=list)
    JUDGES_CHANNEL: str | None = None
    JUDGING_CRITERIA: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: [
            "The demo",
            "Technical difficulty",
            "Social impact",
            "Innovativeness",
        ]
    )
    REALERT_HOURS: float = Field(default=24.0, gt=0, le=24 * 14)  # raise a "Not yet" again
    STALE_DAYS: float = Field(default=2.0, gt=0, le=60)  # "nobody joined yet" after this long
    DIGEST_CRON: str = "0 9 * * *"
    DIGEST_TIMEZONE: str = "UTC"
    DIGEST_GRACE_MINUTES: int = Field(default=180, ge=0)
    DIGEST_MODE: Literal["channel", "thread"] = "channel"  # thread: replies under one pinned post
    RECONCILE_MINUTES: int = Field(default=10, ge=1)
    # Backups of what Slack does not hold (the audit trail, notices, names): every
    # BACKUP_MINUTES (0: none) into BACKUP_DIR (default: backups/ beside the database),
    # keeping the newest BACKUP_KEEP.
    BACKUP_MINUTES: int = Field(default=15, ge=0, le=24 * 60)
    BACKUP_DIR: str | None = None
    BACKUP_KEEP: int = Field(default=96, ge=1, le=10_000)
    RETRY_DELAY_SECONDS: float = Field(default=30.0, gt=0, le=900)
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # The Hugging Face Hub, asked whether a proposal's models and datasets exist (off: never).
    # HF_ENDPOINT and HF_TOKEN are huggingface_hub's own variables; the token lets the bot see
    # private and gated repositories its owner can.
    HUB_CHECKS: bool = True
    HF_ENDPOINT: str = "https://huggingface.co"
    HF_TOKEN: str | None = None
    HUB_TIME_BOX_SECONDS: float = Field(default=1.5, gt=0, le=2.5)  # within Slack's 3 s

    @field_validator("ORGANIZER_IDS", "JOIN_EMOJI", "JUDGE_IDS", "JUDGING_CRITERIA", mode="before")
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("JOIN_EMOJI")
    @classmethod
    def _emoji_names(cls, value: list[str]) -> list[str]:
        names = [v.strip(":") for v in value]
        if not names:
            raise ValueError("name at least one emoji, e.g. raised_hand")
        return names

    @field_validator("JUDGING_CRITERIA")
    @classmethod
    def _criteria(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one criterion, e.g. The demo,Innovativeness")
        if len(value) > 10 or any(len(v) > 60 for v in value):
            raise ValueError("at most 10 criteria of at most 60 characters each")
        if len({re.sub(r"[^a-z0-9]+", "", v.lower()) for v in value}) != len(value):
            raise ValueError("two criteria have the same name")
        return value

    @field_validator("ORGANIZER_IDS", "JUDGE_IDS")
    @classmethod
    def _user_ids(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.fullmatch(r"[UW][A-Z0-9]{2,}", v)]
        if bad:
            raise ValueError(
                f"{', '.join(bad)} is not a Slack user ID "
                "(like U012AB3CD: profile > ⋮ > Copy member ID)"
            )
        return value

    @field_validator("SLACK_BOT_TOKEN")
    @classmethod
    def _bot_token(cls, value: str) -> str:
        if not value.startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("SLACK_APP_TOKEN")
    @classmethod
    def _app_token(cls, value: str | None) -> str | None:
        if value is not None and value.strip() == "":
            return None
        if value is not None and not value.startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value

    @field_validator("SLACK_API_URL")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"https?://", value):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("HF_ENDPOINT")
    @classmethod
    def _hub_url(cls, value: str) -> str:
        if not re.match(r"https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL such as https://huggingface.co")
        return value.rstrip("/")

    @field_validator("DIGEST_TIMEZONE")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be an IANA time zone such as UTC or Europe/Paris") from exc
        return value

    @field_validator(
        "PROPOSALS_CLOSE_AT", "TEAMS_CLOSE_AT", "SUBMISSIONS_CLOSE_AT", "JUDGING_CLOSES_AT"
    )
    @classmethod
    def _deadline(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        try:
            datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(
                f"must be an ISO date and time such as 2026-07-07T18:00 ({exc})"
            ) from exc
        return value.strip()

    def deadline(self, name: str) -> float | None:
        """A deadline setting (PROPOSALS_CLOSE_AT, TEAMS_CLOSE_AT, SUBMISSIONS_CLOSE_AT,
        JUDGING_CLOSES_AT) as a timestamp (None: no deadline)."""
        value = getattr(self, name)
        if not value:
            return None
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(self.DIGEST_TIMEZONE))
        return moment.timestamp()

    @field_validator("TEAM_WELCOME_FILE")
    @classmethod
    def _welcome_file(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            text = Path(value).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read {value} as UTF-8 text ({exc})") from exc
        if not text.strip() or len(text) > WELCOME_MAX:
            raise ValueError(f"{value} must hold 1 to {WELCOME_MAX} characters of Markdown")
        return value

    def team_welcome(self) -> str | None:
        """The organizers' welcome for official teams, as written (None: the default)."""
        if not self.TEAM_WELCOME_FILE:
            return None
        return Path(self.TEAM_WELCOME_FILE).read_text(encoding="utf-8")

    @field_validator("DIGEST_CRON")
    @classmethod
    def _cron(cls, value: str) -> str:
        if value.strip().lower() == "off":
            return "off"
        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(
                f"must be a 5-field crontab such as '0 9 * * *' or 'off' ({exc})"
            ) from exc
        return value

    # Running the bot needs organizers; a command that only reads the database does not.
    needs_organizers: ClassVar[bool] = False

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(cls, data: Any, handler: ModelWrapValidatorHandler[Settings]) -> Settings:
        """Field errors and the rules across fields, in one message: a newcomer fixes them all
        in one go instead of meeting them one start at a time."""
        across = _problems_across_fields(data, needs_organizers=cls.needs_organizers)
        try:
            settings = handler(data)
        except ValidationError as exc:
            if not across:
                raise
            raise ConfigError(_message(_error_lines(exc) + across)) from None
        if across:
            raise ConfigError(_message(across))
        return settings

    def backup_dir(self) -> Path:
        if self.BACKUP_DIR:
            return Path(self.BACKUP_DIR)
        return Path(self.DATABASE_PATH).resolve().parent / "backups"

    @property
    def socket_mode(self) -> bool:
        return self.SLACK_APP_TOKEN is not None


# Commands that only read the database (export, digest --dry-run) need no Slack credentials.
OFFLINE_CREDENTIALS = {"SLACK_BOT_TOKEN": "xoxb-offline", "SLACK_SIGNING_SECRET": "offline"}


class RunSettings(Settings):
    """The settings of the running bot: everything Settings checks, and the organizers."""

    needs_organizers: ClassVar[bool] = True


def _present(data: Any, name: str) -> bool:
    value = data.get(name) if isinstance(data, dict) else None
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def _as_int(value: object, default: int) -> int | None:
    if value is None:
        return default
    try:
        return int(str(value))
    except ValueError:
        return None  # the field's own error says so


def _problems_across_fields(data: Any, *, needs_organizers: bool) -> list[str]:
    """The rules that involve several settings, checked on the raw values so that they are
    reported beside the fields' own errors."""
    if not isinstance(data, dict):
        return []
    problems = []
    if not _present(data, "SLACK_APP_TOKEN") and not _present(data, "SLACK_SIGNING_SECRET"):
        problems.append(
            "  - SLACK_SIGNING_SECRET is required in HTTP mode: "
            + HOW_TO_FIX["SLACK_SIGNING_SECRET"]
        )
    threshold = _as_int(data.get("TEAM_SIZE_THRESHOLD"), 3)
    largest = _as_int(data.get("TEAM_SIZE_MAX"), 10)
    if threshold is not None and largest is not None and threshold > largest:
        problems.append(
            f"  - TEAM_SIZE_THRESHOLD ({threshold}) must not exceed TEAM_SIZE_MAX ({largest})"
        )
    if (
        needs_organizers
        and not _present(data, "ORGANIZER_IDS")
        and not _present(data, "ORGANIZERS_CHANNEL")
    ):
        problems.append(f"  - {NO_ORGANIZERS}")
    return problems


def load_offline_settings() -> Settings:
    """The settings of a command that only reads the database: DATABASE_PATH is what matters;
    Slack's credentials, if unset, are placeholders no call will use."""
    overrides = {name: value for name, value in OFFLINE_CREDENTIALS.items() if not _set(name)}
    return load_settings(running=False, **overrides)


def _set(name: str) -> bool:
    if os.environ.get(name):
        return True
    env_file = Path(".env")
    if not env_file.is_file():
        return False
    return any(
        line.split("=", 1)[0].strip() == name and line.split("=", 1)[1].strip()
        for line in env_file.read_text(encoding="utf-8", errors="replace").splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    )


def load_settings(*, running: bool = False, **overrides: object) -> Settings:
    """Read and validate the settings, or raise one ConfigError naming every problem.
    `running`: the settings of the bot itself, which needs organizers too."""
    kind = RunSettings if running else Settings
    try:
        return kind(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(describe_errors(exc)) from None


HEADLINE = "The bot cannot start; fix these settings (environment variables or .env):"


def _message(lines: list[str]) -> str:
    return "\n".join([HEADLINE, *lines])


def describe_errors(exc: ValidationError) -> str:
    return _message(_error_lines(exc))


def _error_lines(exc: ValidationError) -> list[str]:
    lines = []
    for error in exc.errors():
        name = ".".join(str(p) for p in error["loc"]) or "settings"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            hint = HOW_TO_FIX.get(name, "")
            message = "is missing" + (f": {hint}" if hint else "")
        lines.append(f"  - {name} {message}" if name != "settings" else f"  - {message}")
    return lines
