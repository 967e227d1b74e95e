"""The bot's adapter to the Hugging Face Hub: `HubClient` asks `huggingface_hub.HfApi` about one
model or dataset and answers in the domain's terms (`slackbot.domain.hub.HubAnswer`);
`Asker` runs those questions on threads of its own, so a slow Hub holds none of the bot's."""

from slackbot.hubclient.asker import Asker
from slackbot.hubclient.client import HubClient, HubUnavailable

__all__ = ["Asker", "HubClient", "HubUnavailable"]
