"""A local stand-in for the Hugging Face Hub's API, on loopback, for the tests and the demo.

It answers the three requests the bot's Hub client (`huggingface_hub.HfApi`) makes, shaped as
the Hub answers them:

- ``GET /api/models/{repo_id}`` (`model_info`): the repository's info with its ``siblings``
  (one ``rfilename`` per file: ``flax_model.msgpack`` when it has Flax weights), ``tags``
  (``"jax"`` among them then), ``pipeline_tag``, ``library_name``, ``gated``, ``private``…
- ``GET /api/datasets/{repo_id}`` (`dataset_info`): the same for a dataset; a gated dataset's
  info is public, with ``"gated": "auto"`` or ``"manual"``.
- ``GET /api/models?search=…&sort=downloads&direction=-1&limit=…`` (`list_models`): the
  models whose id contains the words, most downloaded first, paginated with a ``Link`` header.

A repository that does not exist, or is private and the request has no token that sees it, is
answered as the Hub answers it: 401 without a token, 404 with one, both with the headers
``X-Error-Code: RepoNotFound`` and ``X-Error-Message: Repository not found`` (the client turns
them into `RepositoryNotFoundError`). A test scripts slowness (`slow`) or an outage (`down`);
every request is recorded (`requests`).

    with FakeHub() as hub:
        hub.add_model("roberta-base", flax=True, pipeline_tag="fill-mask")
        HfApi(endpoint=hub.endpoint, token=False).model_info("roberta-base")
"""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CREATED = "2021-06-01T12:00:00.000Z"
MODIFIED = "2021-07-01T12:00:00.000Z"
PAGE_MAX = 1000  # the Hub's largest page of a listing


@dataclass
class HubRequest:
    """One request the stand-in received."""

    path: str
    query: dict[str, list[str]]
    token: str | None  # the bearer token, if any


@dataclass
class _Repo:
    kind: str  # "model" or "dataset"
    id: str
    files: list[str]
    tags: list[str]
    pipeline_tag: str | None = None
    library_name: str | None = None
    gated: bool | str = False
    private: bool = False
    downloads: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def info(self, *, listing: bool = False) -> dict[str, Any]:
        sha = hashlib.sha1(self.id.encode()).hexdigest()
        author = self.id.split("/")[0] if "/" in self.id else None
        data: dict[str, Any] = {
            "_id": sha[:24],
            "id": self.id,
            "private": self.private,
            "downloads": self.downloads,
            "likes": self.downloads // 1000,
            "tags": list(self.tags),
            "createdAt": CREATED,
        }
        if self.kind == "model":
            data["modelId"] = self.id
            data["library_name"] = self.library_name
            if self.pipeline_tag:
                data["pipeline_tag"] = self.pipeline_tag
        if listing:  # a listing's entries are short: no files, no sha
            return data
        data.update(
            author=author,
            sha=sha,
            lastModified=MODIFIED,
            gated=self.gated,
            disabled=False,
            siblings=[{"rfilename": name} for name in self.files],
            usedStorage=1024 * len(self.files),
            **self.extra,
        )
        if self.kind == "model":
            data.update(spaces=[], widgetData=None, config={}, cardData={})
        else:
            data.update(cardData={}, description=f"The {self.id} dataset.")
        return data


def _model_files(flax: bool, pytorch: bool, tf: bool) -> list[str]:
    files = [".gitattributes", "README.md", "config.json"]
    if flax:
        files.append("flax_model.msgpack")
    if pytorch:
        files.append("pytorch_model.bin")
    if tf:
        files.append("tf_model.h5")
    return [*files, "tokenizer.json", "vocab.json"]


class FakeHub:
    """The Hub's API on 127.0.0.1 (port 0): `endpoint` is what HF_ENDPOINT is set to."""

    def __init__(self) -> None:
        self.repos: dict[tuple[str, str], _Repo] = {}
        self.tokens: set[str] = set()  # tokens that see private repositories
        self.requests: list[HubRequest] = []
        self.delay = 0.0
        self.status: int | None = None  # scripted outage: every answer is this status
        self._lock = threading.Lock()
        self._released = threading.Event()  # a slow answer's wait ends at stop()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- what the Hub holds ---------------------------------------------------------------

    def add_model(
        self,
        repo_id: str,
        *,
        flax: bool = False,
        pytorch: bool = True,
        tf: bool = False,
        pipeline_tag: str | None = None,
        library_name: str | None = "transformers",
        architecture: str | None = None,
        gated: bool | str = False,
        private: bool = False,
        downloads: int = 1000,
    ) -> None:
        """A model repository; `flax` puts `flax_model.msgpack` in it and `jax` in its tags
        (the tag the Hub's `?filter=jax` list uses)."""
        tags = [t for t in (library_name,) if t]
        tags += [t for t, on in (("pytorch", pytorch), ("tf", tf), ("jax", flax)) if on]
        tags += [t for t in (architecture, pipeline_tag) if t]
        tags += ["autotrain_compatible", "endpoints_compatible", "region:us"]
        self.repos[("model", repo_id)] = _Repo(
            "model",
            repo_id,
            _model_files(flax, pytorch, tf),
            tags,
            pipeline_tag=pipeline_tag,
            library_name=library_name,
            gated=gated,
            private=private,
            downloads=downloads,
        )

    def add_dataset(
        self,
        repo_id: str,
        *,
        gated: bool | str = False,
        private: bool = False,
        task_categories: tuple[str, ...] = (),
        downloads: int = 1000,
    ) -> None:
        """A dataset repository; `gated` is False, "auto" or "manual", as the Hub says it."""
        tags = [f"task_categories:{t}" for t in task_categories] + ["region:us"]
        self.repos[("dataset", repo_id)] = _Repo(
            "dataset",
            repo_id,
            [".gitattributes", "README.md", "data/train-00000-of-00001.parquet"],
            tags,
            gated=gated,
            private=private,
            downloads=downloads,
        )

    def allow_token(self, token: str) -> None:
        """A token that sees the private repositories (as their owner's would)."""
        self.tokens.add(token)

    # --- scripted faults --------------------------------------------------------------------

    def slow(self, seconds: float) -> None:
        """Every answer waits this long first (until stop(), whichever comes first)."""
        self.delay = seconds

    def down(self, status: int = 503) -> None:
        """Every request is answered with `status` (0: the connection is closed unanswered)."""
        self.status = status

    def heal(self) -> None:
        self.delay, self.status = 0.0, None

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    # --- the server ---------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeHub:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-hub", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- answers ------------------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, list[str]], token: str | None) -> _Answer:
        with self._lock:
            self.requests.append(HubRequest(path, query, token))
        if self.delay:
            self._released.wait(self.delay)
        if self.status is not None:
            return _Answer(self.status, {"error": "Service unavailable"})
        parts = [urllib.parse.unquote(p) for p in path.split("/") if p]
        if parts[:2] == ["api", "models"] and len(parts) == 2:
            return self._search(query, token, path)
        if len(parts) >= 3 and parts[:2] in (["api", "models"], ["api", "datasets"]):
            kind = "model" if parts[1] == "models" else "dataset"
            repo_id = "/".join(parts[2:4] if len(parts) >= 4 else parts[2:3])
            if "revision" in parts[2:]:
                repo_id = "/".join(parts[2 : parts.index("revision")])
            return self._info(kind, repo_id, token)
        return _Answer(404, {"error": "Sorry, we can't find the page you are looking for."})

    def _visible(self, repo: _Repo | None, token: str | None) -> bool:
        return repo is not None and (not repo.private or token in self.tokens)

    def _info(self, kind: str, repo_id: str, token: str | None) -> _Answer:
        repo = self.repos.get((kind, repo_id))
        if not self._visible(repo, token):
            # The Hub does not say whether a private repository exists: 401 without a
            # token, 404 with one, the same error code either way.
            return _Answer(
                401 if token is None else 404,
                {"error": "Repository not found"},
                {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"},
            )
        assert repo is not None
        return _Answer(200, repo.info())

    def _search(self, query: dict[str, list[str]], token: str | None, path: str) -> _Answer:
        words = (query.get("search") or [""])[0].lower()
        found = [
            repo
            for (kind, repo_id), repo in self.repos.items()
            if kind == "model" and words in repo_id.lower() and self._visible(repo, token)
        ]
        if (query.get("sort") or [""])[0] == "downloads":
            reverse = (query.get("direction") or ["-1"])[0] == "-1"
            found.sort(key=lambda r: r.downloads, reverse=reverse)
        limit = min(int((query.get("limit") or [str(PAGE_MAX)])[0]), PAGE_MAX)
        start = int((query.get("cursor") or ["0"])[0])
        page = found[start : start + limit]
        headers: dict[str, str] = {}
        if start + limit < len(found):
            following = {k: v[0] for k, v in query.items()} | {"cursor": str(start + limit)}
            url = f"{self.endpoint}{path}?{urllib.parse.urlencode(following)}"
            headers["Link"] = f'<{url}>; rel="next"'
        return _Answer(200, [r.info(listing=True) for r in page], headers)


@dataclass
class _Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            auth = self.headers.get("Authorization") or ""
            token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
            answer = hub.answer(url.path, urllib.parse.parse_qs(url.query), token)
            if answer.status == 0:
                self.close_connection = True
                return
            body = json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def standard_hub(hub: FakeHub) -> FakeHub:
    """The checkpoints and datasets the labelled 2021-style proposals name (tests/data/), and a
    few more: enough for the tests, the benchmarks and the demo. A hand-made sample: which of
    them has Flax weights follows what was written of them in 2021 (the flax-community models,
    the checkpoints the 🤗 team converted), not a crawl of today's Hub."""
    flax = {
        "roberta-base": "fill-mask",
        "roberta-large": "fill-mask",
        "bert-base-uncased": "fill-mask",
        "bert-base-multilingual-cased": "fill-mask",
        "gpt2": "text-generation",
        "gpt2-medium": "text-generation",
        "distilgpt2": "text-generation",
        "t5-small": "text2text-generation",
        "t5-base": "text2text-generation",
        "google/mt5-small": "text2text-generation",
        "google/mt5-base": "text2text-generation",
        "google/t5-v1_1-base": "text2text-generation",
        "google/byt5-small": "text2text-generation",
        "google/vit-base-patch16-224": "image-classification",
        "google/vit-base-patch16-224-in21k": "image-feature-extraction",
        "openai/clip-vit-base-patch32": "zero-shot-image-classification",
        "openai/clip-vit-base-patch16": "zero-shot-image-classification",
        "facebook/bart-base": "feature-extraction",
        "facebook/bart-large": "feature-extraction",
        "facebook/bart-large-cnn": "summarization",
        "facebook/mbart-large-cc25": "text2text-generation",
        "EleutherAI/gpt-neo-125M": "text-generation",
        "EleutherAI/gpt-neo-1.3B": "text-generation",
        "xlm-roberta-base": "fill-mask",
        "xlm-roberta-large": "fill-mask",
        "flax-community/gpt2-small-indonesian": "text-generation",
        "flax-community/t5-base-cnn-dm": "summarization",
        "facebook/wav2vec2-base": "automatic-speech-recognition",
        "facebook/wav2vec2-large-xlsr-53": "automatic-speech-recognition",
        "klue/roberta-large": "fill-mask",
        "microsoft/codebert-base": "feature-extraction",
        "gpt2-large": "text-generation",
        "t5-large": "text2text-generation",
        "google/t5-v1_1-small": "text2text-generation",
        "google/pegasus-large": "summarization",
        "facebook/mbart-large-50": "text2text-generation",
        "flax-community/gpt2-bengali": "text-generation",
        "flax-community/gpt2-medium-persian": "text-generation",
        "flax-community/roberta-base-mr": "fill-mask",
        "uer/gpt2-chinese-cluecorpussmall": "text-generation",
        "Salesforce/codet5-small": "text2text-generation",
        "microsoft/mpnet-base": "fill-mask",
        "distilroberta-base": "fill-mask",
        "wav2vec2-base": "automatic-speech-recognition",
    }
    torch_only = {
        "distilbert-base-uncased": "fill-mask",
        "cardiffnlp/twitter-roberta-base-sentiment": "text-classification",
        "ai4bharat/indic-bert": "fill-mask",
        "dbmdz/bert-base-italian-cased": "fill-mask",
        "neuralmind/bert-base-portuguese-cased": "fill-mask",
        "microsoft/DialoGPT-medium": "text-generation",
        "Helsinki-NLP/opus-mt-en-de": "translation",
        "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2": "sentence-similarity",
        "facebook/wav2vec2-large-960h": "automatic-speech-recognition",
        "klue/bert-base": "fill-mask",
        "dbmdz/bert-base-italian-xxl-uncased": "fill-mask",
        "dccuchile/bert-base-spanish-wwm-cased": "fill-mask",
        "DeepPavlov/rubert-base-cased": "feature-extraction",
        "microsoft/MiniLM-L12-H384-uncased": "text-classification",
        "dmis-lab/biobert-base-cased-v1.1": "feature-extraction",
    }
    for n, (repo_id, task) in enumerate(flax.items()):
        hub.add_model(repo_id, flax=True, pipeline_tag=task, downloads=100_000 - 1000 * n)
    for n, (repo_id, task) in enumerate(torch_only.items()):
        hub.add_model(repo_id, pipeline_tag=task, downloads=50_000 - 1000 * n)
    for n, repo_id in enumerate(
        (
            "oscar",
            "mc4",
            "c4",
            "cc100",
            "wikipedia",
            "conceptual_captions",
            "code_search_net",
            "xsum",
            "cnn_dailymail",
            "squad",
            "imdb",
            "tweet_eval",
            "common_voice",
            "librispeech_asr",
            "opus100",
            "ag_news",
            "emotion",
            "amazon_reviews_multi",
            "wit",
            "allocine",
            "germeval_14",
            "samanantar",
            "cifar10",
            "mnist",
            "scientific_papers",
            "swahili_news",
            "large_spanish_corpus",
            "csebuetnlp/xlsum",
            "yhavinga/mc4_nl_cleaned",
            "mlsum",
            "squad_v2",
            "cfilt/iitb-english-hindi",
            "recipe_nlg",
            "ecthr_cases",
            "speech_commands",
            "math_qa",
        )
    ):
        hub.add_dataset(repo_id, downloads=90_000 - 1000 * n)
    hub.add_dataset("mozilla-foundation/common_voice_11_0", gated="auto")
    hub.add_dataset("bigcode/the-stack", gated="manual")
    return hub
