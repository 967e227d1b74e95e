"""What a button says to a screen reader: its `accessibility_label`, naming the action and
the project it acts on ("Leave the team Pretrain RoBERTa in Hindi"), where the button's own text
("Leave", "Approve", "…") means nothing out of its context."""

from __future__ import annotations

# Slack's limit for a button's accessibility_label.
LABEL_MAX = 75


def action_label(action: str, project: str = "") -> str:
    """`action` followed by the project's name, shortened with "…" to Slack's 75 characters.
    Plain text (never mrkdwn): a name reads as it was typed."""
    text = f"{action} {' '.join(project.split())}".strip() if project else action
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"
