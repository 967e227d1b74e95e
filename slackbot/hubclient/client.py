"""`HfApi`, the Hub's own client, seen from the bot: `model_info`, `dataset_info` and
`list_models(search=…)`, their errors mapped to what a proposer needs to know.

The endpoint (HF_ENDPOINT) and the token (HF_TOKEN) come from the settings, never from a token a
developer saved on the machine (`token=False` without HF_TOKEN). A repository the Hub does not
show (missing, or private to others: the Hub answers both with `RepositoryNotFoundError`) is
"not found"; a gated one is found, and gated. Anything else that goes wrong (no answer, a 5xx,
a 429) is `HubUnavailable`: the bot then says nothing about the Hub.
"""

from __future__ import annotations

import logging

from huggingface_hub import HfApi
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    HFValidationError,
    RepositoryNotFoundError,
)

from slackbot.domain.hub import HubAnswer, has_flax_weights, rank_closest, search_words

log = logging.getLogger("slackbot.hub")

SEARCH_LIMIT = 50  # ids the search returns, most downloaded first, to rank by nearness


class HubUnavailable(Exception):
    """The Hub did not answer usably (timeout, connection refused, 5xx, 429)."""


class HubClient:
    def __init__(self, endpoint: str, token: str | None, *, timeout: float = 10.0) -> None:
        self.api = HfApi(
            endpoint=endpoint.rstrip("/"),
            token=token or False,
            library_name="community-week-slackbot",
        )
        self.timeout = timeout

    def model(self, repo_id: str) -> HubAnswer:
        try:
            info = self.api.model_info(repo_id, timeout=self.timeout)
        except GatedRepoError:
            return HubAnswer(found=True, gated=True)
        except (RepositoryNotFoundError, HFValidationError):
            return HubAnswer(found=False, closest=self.closest_models(repo_id))
        except Exception as exc:
            raise _unavailable("model", repo_id, exc) from exc
        files = [s.rfilename for s in info.siblings or []]
        return HubAnswer(
            found=True,
            flax=has_flax_weights(files, info.tags or []),
            pipeline_tag=info.pipeline_tag,
            gated=bool(info.gated),
        )

    def dataset(self, repo_id: str) -> HubAnswer:
        try:
            info = self.api.dataset_info(repo_id, timeout=self.timeout)
        except GatedRepoError:
            return HubAnswer(found=True, gated=True)
        except (RepositoryNotFoundError, HFValidationError):
            return HubAnswer(found=False)
        except Exception as exc:
            raise _unavailable("dataset", repo_id, exc) from exc
        return HubAnswer(found=True, gated=bool(info.gated))

    def closest_models(self, repo_id: str, limit: int = 3) -> tuple[str, ...]:
        """The existing model ids nearest to one the Hub does not have ("roberta-bse" ->
        roberta-base…), from the Hub's search; none when the search fails."""
        for words in search_words(repo_id):
            try:
                listed = self.api.list_models(search=words, sort="downloads", limit=SEARCH_LIMIT)
                found = [m.id for m in listed]
            except Exception as exc:  # a suggestion is a courtesy: never worth an error
                log.info("hub_search_failed words=%s error=%s", words, type(exc).__name__)
                return ()
            closest = rank_closest(repo_id, found, limit)
            if closest:
                return closest
        return ()


def _unavailable(kind: str, repo_id: str, exc: Exception) -> HubUnavailable:
    status = exc.response.status_code if isinstance(exc, HfHubHTTPError) else None
    log.info(
        "hub_unavailable kind=%s repo_id=%s status=%s error=%s",
        kind,
        repo_id,
        status,
        type(exc).__name__,
    )
    return HubUnavailable(f"{kind} {repo_id}: {type(exc).__name__}")
