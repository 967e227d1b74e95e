"""Words the community week knows: languages, model architectures, tasks, domains.

Used to validate proposals (is a name specific? is a model a model?) and to compare them
(similar-project check). Plain data and pure functions; nothing here knows about Slack.
"""

from __future__ import annotations

import re
import unicodedata

# (value, label). Values are stable slugs stored in the database; labels are shown.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("english", "English"),
    ("chinese", "Chinese"),
    ("spanish", "Spanish"),
    ("hindi", "Hindi"),
    ("arabic", "Arabic"),
    ("bengali", "Bengali"),
    ("portuguese", "Portuguese"),
    ("russian", "Russian"),
    ("japanese", "Japanese"),
    ("german", "German"),
    ("french", "French"),
    ("italian", "Italian"),
    ("korean", "Korean"),
    ("turkish", "Turkish"),
    ("vietnamese", "Vietnamese"),
    ("indonesian", "Indonesian"),
    ("dutch", "Dutch"),
    ("polish", "Polish"),
    ("swedish", "Swedish"),
    ("norwegian", "Norwegian"),
    ("danish", "Danish"),
    ("finnish", "Finnish"),
    ("greek", "Greek"),
    ("hebrew", "Hebrew"),
    ("persian", "Persian"),
    ("urdu", "Urdu"),
    ("tamil", "Tamil"),
    ("telugu", "Telugu"),
    ("marathi", "Marathi"),
    ("gujarati", "Gujarati"),
    ("kannada", "Kannada"),
    ("malayalam", "Malayalam"),
    ("punjabi", "Punjabi"),
    ("nepali", "Nepali"),
    ("sinhala", "Sinhala"),
    ("thai", "Thai"),
    ("malay", "Malay"),
    ("filipino", "Filipino"),
    ("swahili", "Swahili"),
    ("amharic", "Amharic"),
    ("yoruba", "Yoruba"),
    ("ukrainian", "Ukrainian"),
    ("czech", "Czech"),
    ("romanian", "Romanian"),
    ("hungarian", "Hungarian"),
    ("catalan", "Catalan"),
    ("basque", "Basque"),
    ("multilingual", "Multilingual"),
    ("code", "Programming languages (code)"),
    ("none", "No natural language (vision, audio)"),
    ("other", "Other (type it below)"),
)
LANGUAGE_LABELS: dict[str, str] = dict(LANGUAGES)
# Languages (and groups of them) people name, beyond the select's list: a project in Wolof or in
# Sanskrit states its language as clearly as one in French.
OTHER_LANGUAGE_WORDS: frozenset[str] = frozenset(
    """
    bangla farsi mandarin cantonese swiss wolof sanskrit igbo hausa zulu xhosa somali tigrinya
    oromo kinyarwanda luganda khmer lao burmese tagalog javanese sundanese kazakh uzbek kyrgyz
    mongolian tibetan uyghur pashto kurdish armenian georgian azerbaijani albanian serbian
    croatian bosnian slovenian slovak bulgarian macedonian lithuanian latvian estonian icelandic
    irish welsh gaelic breton galician occitan maltese latin esperanto quechua guarani nahuatl
    maori hawaiian samoan haitian creole assamese odia oriya sindhi kashmiri bhojpuri maithili
    tatar bashkir yiddish afrikaans luxembourgish faroese frisian cebuano malagasy shona tswana
    sesotho lingala twi akan ewe fula bambara berber amazigh coptic hinglish arabizi brazilian
    castilian flemish bavarian sorani kurmanji dari tajik turkmen chechen belarusian
    indic dravidian african nordic scandinavian slavic balkan european asian indian
    bilingual crosslingual multilingual polyglot
    """.split()  # noqa: SIM905 (a list literal would take a line per word)
)
LANGUAGE_WORDS: frozenset[str] = (
    frozenset(v for v, _ in LANGUAGES if v not in {"other", "none", "code", "multilingual"})
    | OTHER_LANGUAGE_WORDS
)

# Architecture names, normalised (see `normalise_model_token`). Variants map to one family so
# "GPT2", "GPT-2" and "gpt2-medium" compare equal.
ARCHITECTURES: dict[str, str] = {
    "bert": "bert",
    "roberta": "roberta",
    "xlmroberta": "xlm-roberta",
    "xlmr": "xlm-roberta",
    "distilbert": "distilbert",
    "distilroberta": "roberta",
    "albert": "albert",
    "electra": "electra",
    "deberta": "deberta",
    "bigbird": "bigbird",
    "longformer": "longformer",
    "gpt": "gpt2",
    "gpt2": "gpt2",
    "gptneo": "gpt-neo",
    "gptj": "gpt-j",
    "gpt3": "gpt2",
    "t5": "t5",
    "mt5": "t5",
    "byt5": "t5",
    "bart": "bart",
    "mbart": "bart",
    "pegasus": "pegasus",
    "marian": "marian",
    "marianmt": "marian",
    "clip": "clip",
    "vit": "vit",
    "beit": "beit",
    "deit": "deit",
    "convnext": "convnext",
    "resnet": "resnet",
    "vqgan": "vqgan",
    "dalle": "dalle",
    "wav2vec2": "wav2vec2",
    "wav2vec": "wav2vec2",
    "hubert": "hubert",
    "whisper": "whisper",
    "speecht5": "speecht5",
    "blenderbot": "blenderbot",
    "xlnet": "xlnet",
    "reformer": "reformer",
    "perceiver": "perceiver",
    "mlpmixer": "mlp-mixer",
    "unet": "unet",
    "diffusion": "diffusion",
    "stablediffusion": "diffusion",
    "visionencoderdecoder": "vision-encoder-decoder",
    "encoderdecoder": "encoder-decoder",
    "transformer": "transformer",
    "codegen": "gpt2",
    "codet5": "t5",
    "led": "led",
    "opt": "opt",
    "bloom": "bloom",
    "llama": "llama",
    # outside 🤗 Transformers (the seed welcomes them: awesome-jax)
    "nerf": "nerf",
    "gan": "gan",
    "biggan": "gan",
    "stylegan": "gan",
    "stylegan2": "gan",
    "dcgan": "gan",
    "cyclegan": "gan",
    "pix2pix": "gan",
    "neuralode": "neural-ode",
    "ode": "neural-ode",
    "vae": "vae",
    "vqvae": "vae",
    "ddpm": "diffusion",
    "efficientnet": "efficientnet",
    "mobilenet": "mobilenet",
    "lstm": "rnn",
    "rnn": "rnn",
    "gru": "rnn",
    "cnn": "cnn",
    "convnet": "cnn",
    "gnn": "gnn",
    "graphnet": "gnn",
    "alphafold": "alphafold",
    "siren": "siren",
    "tacotron": "tacotron",
    "fastspeech": "fastspeech",
    "hifigan": "gan",
    "melgan": "gan",
    "wavenet": "wavenet",
    "conformer": "conformer",
    "pinn": "pinn",
    "normalizingflow": "flow",
    "realnvp": "flow",
    "glow": "flow",
    "taming": "vqgan",
    "vitgan": "gan",
    "simclr": "simclr",
    "byol": "byol",
    "dino": "dino",
    "moco": "moco",
}

# Families 🤗 Transformers implements (the seed: the 🤗 team helps most with these). The rest of
# ARCHITECTURES is known to the week but lives elsewhere (awesome-jax).
TRANSFORMERS_FAMILIES: frozenset[str] = frozenset(
    {
        "bert", "roberta", "xlm-roberta", "distilbert", "albert", "electra", "deberta",
        "bigbird", "longformer", "gpt2", "gpt-neo", "gpt-j", "t5", "bart", "pegasus", "marian",
        "clip", "vit", "beit", "deit", "convnext", "resnet", "wav2vec2", "hubert", "whisper",
        "speecht5", "blenderbot", "xlnet", "reformer", "perceiver", "vision-encoder-decoder",
        "encoder-decoder", "transformer", "led", "opt", "bloom", "llama",
    }
)  # fmt: skip

# Architectures people glue a language onto ("KoCLIP", "AraBERT", "RuGPT", "IT5").
_SUFFIX_ARCHITECTURES = ("roberta", "bert", "clip", "gpt2", "gpt3", "gpt", "t5", "bart")
# Language prefixes of those names; the value is the language's slug.
LANGUAGE_PREFIXES: dict[str, str] = {
    "ko": "korean", "kor": "korean", "ja": "japanese", "jp": "japanese", "zh": "chinese",
    "ara": "arabic", "ar": "arabic", "bangla": "bengali", "bn": "bengali", "indo": "indonesian",
    "pho": "vietnamese", "vi": "vietnamese", "ru": "russian", "he": "hebrew", "pars": "persian",
    "fa": "persian", "it": "italian", "ita": "italian", "es": "spanish", "de": "german",
    "ger": "german", "fr": "french", "flau": "french", "camem": "french", "nl": "dutch",
    "pl": "polish", "tr": "turkish", "turk": "turkish", "hi": "hindi", "hindi": "hindi",
    "sw": "swahili", "am": "amharic", "ur": "urdu", "ta": "tamil", "te": "telugu",
    "th": "thai", "pt": "portuguese", "br": "portuguese", "greek": "greek", "fin": "finnish",
    "swe": "swedish", "nor": "norwegian", "da": "danish", "cs": "czech", "ro": "romanian",
    "hu": "hungarian", "ca": "catalan", "eu": "basque", "uk": "ukrainian", "id": "indonesian",
    "ms": "malay", "tl": "filipino", "yo": "yoruba", "mr": "marathi", "gu": "gujarati",
    "kn": "kannada", "ml": "malayalam", "pa": "punjabi", "ne": "nepali", "si": "sinhala",
    "m": "multilingual", "mul": "multilingual", "x": "multilingual", "xlm": "multilingual",
}  # fmt: skip

# Task phrases (normalised, singular). The value is a canonical task used for comparisons.
TASKS: dict[str, str] = {
    "pretrain": "pretraining",
    "pretraining": "pretraining",
    "from scratch": "pretraining",
    "language model": "pretraining",
    "language modeling": "pretraining",
    "language modelling": "pretraining",
    "masked language model": "pretraining",
    "causal language model": "pretraining",
    "classification": "classification",
    "classifier": "classification",
    "classify": "classification",
    "sentiment": "sentiment",
    "sentiment analysis": "sentiment",
    "generation": "generation",
    "generate": "generation",
    "generator": "generation",
    "text generation": "generation",
    "poem": "poetry",
    "poetry": "poetry",
    "story": "story",
    "summarization": "summarization",
    "summarisation": "summarization",
    "summarize": "summarization",
    "summarise": "summarization",
    "summary": "summarization",
    "translation": "translation",
    "translate": "translation",
    "machine translation": "translation",
    "captioning": "captioning",
    "caption": "captioning",
    "image captioning": "captioning",
    "question answering": "qa",
    "qa": "qa",
    "question generation": "question-generation",
    "generate question": "question-generation",
    "ner": "ner",
    "named entity": "ner",
    "named entity recognition": "ner",
    "pos tagging": "pos",
    "speech recognition": "asr",
    "asr": "asr",
    "transcription": "asr",
    "text to speech": "tts",
    "tts": "tts",
    "audio classification": "audio-classification",
    "grammar correction": "grammar-correction",
    "grammatical error correction": "grammar-correction",
    "spelling correction": "grammar-correction",
    "paraphrase": "paraphrase",
    "paraphrasing": "paraphrase",
    "code generation": "code-generation",
    "code completion": "code-generation",
    "image retrieval": "retrieval",
    "retrieval": "retrieval",
    "search": "retrieval",
    "zero shot": "zero-shot",
    "image generation": "image-generation",
    "text to image": "image-generation",
    "segmentation": "segmentation",
    "detection": "detection",
    "object detection": "detection",
    "image recognition": "classification",
    "recognition": "recognition",
    "image processing": "image-processing",
    "super resolution": "image-processing",
    "colorization": "image-processing",
    "dialogue": "dialogue",
    "dialog": "dialogue",
    "chatbot": "dialogue",
    "conversational": "dialogue",
    "embedding": "embeddings",
    "sentence embedding": "embeddings",
    "similarity": "embeddings",
    "fine tune": "finetuning",
    "finetune": "finetuning",
    "finetuning": "finetuning",
    "distillation": "distillation",
    "distill": "distillation",
    "keyword extraction": "keywords",
    "headline": "headline",
    "title generation": "headline",
    "simplification": "simplification",
    "style transfer": "style-transfer",
    "lyric": "lyrics",
    "music": "music",
    "recipe": "recipe",
    "math": "math",
    "emotion": "emotion",
    "emotion recognition": "emotion",
    "diacritic": "diacritization",
    "diacritization": "diacritization",
    "restoration": "restoration",
    "text2sql": "code-generation",
    "text to sql": "code-generation",
    "keyword spotting": "keyword-spotting",
    "lm": "pretraining",
    "forecasting": "forecasting",
    "time series": "forecasting",
    "timeseries": "forecasting",
    "reasoning": "reasoning",
    # inflections people write ("generating Bengali poems", "searching images with text")
    "generating": "generation",
    "generated": "generation",
    "generates": "generation",
    "write": "generation",
    "writing": "generation",
    "summarizing": "summarization",
    "summarising": "summarization",
    "summarized": "summarization",
    "summarised": "summarization",
    "summarizer": "summarization",
    "summariser": "summarization",
    "classifying": "classification",
    "classified": "classification",
    "translating": "translation",
    "translated": "translation",
    "translator": "translation",
    "searching": "retrieval",
    "retrieving": "retrieval",
    "recognizing": "recognition",
    "transcribe": "asr",
    "transcribing": "asr",
    "speech to text": "asr",
    "detecting": "detection",
    "segmenting": "segmentation",
    "chat": "dialogue",
    "answering": "qa",
    "correcting": "grammar-correction",
    "correction": "grammar-correction",
    "captioner": "captioning",
    "describe image": "captioning",
    "grammar": "grammar-correction",
    "gec": "grammar-correction",
    "spelling": "grammar-correction",
    "docstring": "code-generation",
    "python code": "code-generation",
    "to code": "code-generation",
    "text to code": "code-generation",
    "image search": "retrieval",
    "describing image": "captioning",
    "image description": "captioning",
}

# Tasks too broad to tell two projects apart on their own ("generation" of poems or of code).
GENERIC_TASKS: frozenset[str] = frozenset(
    {"generation", "finetuning", "zero-shot", "recognition", "classification", "embeddings"}
)

# Ways of training rather than tasks: "Fine-tune BERT" says the model and nothing of the task.
GENERIC_METHODS: frozenset[str] = frozenset({"finetuning", "distillation"})

DOMAINS: frozenset[str] = frozenset(
    {
        "arxiv",
        "commit",
        "docstring",
        "doc",
        "document",
        "speech",
        "paper",
        "song",
        "meme",
        "emoji",
        "movie",
        "review",
        "book",
        "bible",
        "quran",
        "patent",
        "chemistry",
        "molecule",
        "protein",
        "biology",
        "climate",
        "remote",
        "aerial",
        "game",
        "chess",
        "fashion",
        "food",
        "sport",
        "education",
        "physics",
        "social",
        "reddit",
        "github",
        "stackoverflow",
        "javascript",
        "java",
        "sql",
        "jupyter",
        "notebook",
        "radiology",
        "xray",
        "medicine",
        "health",
        "covid",
        "3d",
        "medical",
        "biomedical",
        "clinical",
        "legal",
        "scientific",
        "news",
        "tweet",
        "twitter",
        "financial",
        "code",
        "python",
        "wikipedia",
        "satellite",
        "art",
        "commonsense",
    }
)

_PUNCT = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, strip accents, turn punctuation into spaces, squeeze spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("-", "").replace("_", " ").replace("’", "'")
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def singular(word: str) -> str:
    """A crude English singular: enough for "datasets", "captions", "summaries"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalise_model_token(token: str) -> str:
    """ "GPT-2" / "gpt2" / "GPT 2" -> "gpt2"; hub ids keep their last path part."""
    token = token.rsplit("/", 1)[-1].lower()
    return re.sub(r"[^a-z0-9]", "", token)


def architecture_of(text: str) -> set[str]:
    """Architecture families named anywhere in `text` (model ids, links or prose)."""
    found: set[str] = set()
    lowered = text.lower()
    # Hub ids and names: split on separators but also try joined neighbours ("GPT 2", "gpt-neo").
    pieces = [p for p in re.split(r"[\s/,;()]+", lowered) if p]
    candidates: list[str] = []
    for i, piece in enumerate(pieces):
        candidates.append(piece)
        if i + 1 < len(pieces):
            candidates.append(piece + pieces[i + 1])
    for candidate in candidates:
        norm = re.sub(r"^(?:jax|flax)(?=[a-z]{3})", "", normalise_model_token(candidate))
        if norm in ARCHITECTURES:
            found.add(ARCHITECTURES[norm])
            continue
        # "roberta-base", "gpt2-medium", "t5-small", "clip-vit-base-patch32", "mt5-small"
        for part in re.split(r"[-_.]", candidate):
            part_norm = normalise_model_token(part)
            if part_norm in ARCHITECTURES and len(part_norm) >= 2:
                found.add(ARCHITECTURES[part_norm])
        # "gpt-neo-1.3B", "xlm-roberta-base": longest known prefix of the joined token
        for size in range(len(norm), 1, -1):
            if norm[:size] in ARCHITECTURES and size >= 3:
                found.add(ARCHITECTURES[norm[:size]])
                break
    for _language, family in glued_names(text):
        found.add(ARCHITECTURES[family])
    # "BioBERT", "StoryGPT", "EsperBERTo": an architecture in capitals at the end of a word
    for part in re.split(r"[\s/,;()_.-]+", text):
        match = _CAPITALS_AT_END.search(part)
        if match and normalise_model_token(part) not in ARCHITECTURES:
            norm = normalise_model_token(match.group(1))
            if norm in ARCHITECTURES:
                found.add(ARCHITECTURES[norm])
    return found


_CAPITALS_AT_END = re.compile(r"[A-Za-z]([A-Z][A-Z0-9]+)[ao]?$")


def _language_of_prefix(prefix: str) -> str | None:
    """The language a name's prefix stands for: a code ("ko", "ara") or the start of the
    language's name ("Esper" in "EsperBERTo", "Sinhala")."""
    if prefix in LANGUAGE_PREFIXES:
        return LANGUAGE_PREFIXES[prefix]
    if len(prefix) >= 4:
        return next((w for w in sorted(LANGUAGE_WORDS) if w.startswith(prefix)), None)
    return None


def glued_names(text: str) -> set[tuple[str, str]]:
    """(language slug, architecture) of names like "KoCLIP", "AraBERT", "CLIP-Italian" glued
    into one word. The architecture must be written in capitals or follow a prefix of three
    letters or more, so that "Robert" stays a name."""
    found: set[tuple[str, str]] = set()
    for word in re.split(r"[\s/,;()_.]+", text):
        # "roberta-base-sw", "gpt2-small-it": a language code beside an architecture
        parts = [p.lower() for p in word.split("-")]
        if len(parts) > 1 and any(normalise_model_token(p) in ARCHITECTURES for p in parts):
            arch = next(p for p in parts if normalise_model_token(p) in ARCHITECTURES)
            codes = [p for p in parts if len(p) <= 3 and p in LANGUAGE_PREFIXES]
            if codes and arch in _SUFFIX_ARCHITECTURES:
                found.add((LANGUAGE_PREFIXES[codes[-1]], arch))
    for token in re.split(r"[\s/,;()_.-]+", text):
        norm = re.sub(r"[^a-z0-9]", "", token.lower())
        if norm.endswith(("berto", "berta")) and not norm.startswith(("roberta", "deberta")):
            norm = norm[:-1]  # "EsperBERTo", "SinhalaBERTo": RoBERTa's family, Italian-style
        for arch in _SUFFIX_ARCHITECTURES:
            if len(norm) <= len(arch):
                continue
            prefix, shown = norm[: -len(arch)], token.rstrip("oa")[-len(arch) :]
            language = _language_of_prefix(prefix) if norm.endswith(arch) else None
            if language and (len(prefix) >= 3 or shown != shown.lower()):
                found.add((language, arch))
                break
            suffix = norm[len(arch) :]  # "CLIPItalian", "GPT2Bengali"
            if norm.startswith(arch) and suffix in LANGUAGE_WORDS:
                found.add((suffix, arch))
                break
    return found


def words(text: str) -> list[str]:
    """Normalised words; a hyphenated word counts both joined and apart ("pre-train" gives
    "pretrain", "pre" and "train"; "docstring-to-code" gives "docstring", "code"…)."""
    joined = fold(text).split()
    apart = fold(text.replace("-", " ")).split()
    return [singular(w) for w in dict.fromkeys(joined + apart)]


def tasks_in(text: str) -> set[str]:
    """Canonical tasks named in `text`, matching one- to four-word phrases."""
    tokens = words(text.replace("-", " "))
    joined = " " + " ".join(tokens) + " "
    squashed = " " + " ".join(fold(text).split()) + " "
    found: set[str] = set()
    for phrase, task in TASKS.items():
        needle = " " + phrase + " "
        if needle in joined or needle in squashed:
            found.add(task)
    return found


def languages_in(text: str) -> set[str]:
    found = {w for w in words(text) if w in LANGUAGE_WORDS}
    return found | {language for language, _ in glued_names(text)}


def domains_in(text: str) -> set[str]:
    return {w for w in words(text) if w in DOMAINS}


# Hub checkpoints from before organisations, still found by their bare id ("roberta-base").
LEGACY_CHECKPOINTS: frozenset[str] = frozenset(
    """
    bert-base-uncased bert-base-cased bert-large-uncased bert-large-cased
    bert-base-multilingual-cased bert-base-multilingual-uncased bert-base-chinese
    roberta-base roberta-large distilroberta-base distilbert-base-uncased distilbert-base-cased
    distilbert-base-multilingual-cased xlm-roberta-base xlm-roberta-large albert-base-v2
    albert-large-v2 gpt2 gpt2-medium gpt2-large gpt2-xl distilgpt2 t5-small t5-base t5-large
    t5-3b t5-11b xlnet-base-cased xlnet-large-cased
    """.split()  # noqa: SIM905
)
# Organisations whose "org/name" is a checkpoint even when written inside a sentence.
HUB_ORGS: frozenset[str] = frozenset(
    """
    google facebook openai microsoft eleutherai flax-community huggingface allenai helsinki-nlp
    bigscience sentence-transformers nvidia deepmind uer ai4bharat cl-tohoku dbmdz camembert
    indobenchmark neuralmind dccuchile bertin-project flax-sentence-embeddings
    """.split()  # noqa: SIM905
)
# 🤗 Datasets people name by their bare id.
KNOWN_DATASETS: frozenset[str] = frozenset(
    """
    oscar mc4 c4 cc100 wikipedia wikitext bookcorpus common_voice librispeech_asr
    conceptual_captions code_search_net xsum cnn_dailymail squad squad_v2 glue super_glue imdb
    amazon_reviews_multi opus100 wmt14 wmt16 wmt19 tatoeba ted_talks_iwslt xnli paws-x
    multi_news arxiv_dataset scientific_papers pubmed_qa billsum big_patent reddit
    wit red_caps coco_captions laion mnist cifar10 cifar100 imagenet-1k food101 beans the_pile
    codeparrot-clean github-code apps humaneval emotion tweet_eval yelp_review_full ag_news
    dbpedia_14 hind_encorp samanantar tydiqa mlqa xquad wiki_lingua germeval_14 allocine
    """.split()  # noqa: SIM905
)
# The Flax example scripts of 🤗 Transformers the guide points to, by file name. Pinned to a
# release that still has them (later releases dropped Flax).
TRANSFORMERS_TREE = "https://github.com/huggingface/transformers/blob/v4.30.0/"
_EXAMPLES = TRANSFORMERS_TREE + "examples/flax/"
FLAX_EXAMPLE_SCRIPTS: dict[str, str] = {
    "run_mlm_flax.py": _EXAMPLES + "language-modeling/run_mlm_flax.py",
    "run_clm_flax.py": _EXAMPLES + "language-modeling/run_clm_flax.py",
    "run_t5_mlm_flax.py": _EXAMPLES + "language-modeling/run_t5_mlm_flax.py",
    "run_bart_dlm_flax.py": _EXAMPLES + "language-modeling/run_bart_dlm_flax.py",
    "run_summarization_flax.py": _EXAMPLES + "summarization/run_summarization_flax.py",
    "run_flax_glue.py": _EXAMPLES + "text-classification/run_flax_glue.py",
    "run_flax_ner.py": _EXAMPLES + "token-classification/run_flax_ner.py",
    "run_qa.py": _EXAMPLES + "question-answering/run_qa.py",
    "run_image_classification.py": _EXAMPLES + "vision/run_image_classification.py",
    "run_image_captioning_flax.py": _EXAMPLES + "image-captioning/run_image_captioning_flax.py",
}

_HUB_ID = re.compile(r"^([A-Za-z0-9][\w.-]*)/([\w.-]*[A-Za-z0-9])$")


def is_hub_id(token: str, *, alone: bool = False) -> bool:
    """Whether `token` reads as a Hub id: "google/mt5-small", or a legacy "roberta-base".
    Inside a sentence ("and/or", "TCP/IP") an "org/name" counts only for a known organisation
    or a name with a digit or a hyphen; `alone` (the whole answer) accepts any "org/name"."""
    if token.lower() in LEGACY_CHECKPOINTS:
        return True
    match = _HUB_ID.match(token)
    if not match or "//" in token:
        return False
    org, name = match.groups()
    return alone or org.lower() in HUB_ORGS or bool(re.search(r"[\d-]", name))


def is_dataset_id(token: str) -> bool:
    return token.lower() in KNOWN_DATASETS or bool(_HUB_ID.match(token) and "//" not in token)
