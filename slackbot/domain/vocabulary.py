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
LANGUAGE_WORDS: frozenset[str] = frozenset(
    v for v, _ in LANGUAGES if v not in {"other", "none", "code", "multilingual"}
) | frozenset({"multilingual", "bangla", "farsi", "mandarin", "cantonese", "swiss"})

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
}

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

DOMAINS: frozenset[str] = frozenset(
    {
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
        norm = normalise_model_token(candidate)
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
    return {w for w in words(text) if w in LANGUAGE_WORDS}


def domains_in(text: str) -> set[str]:
    return {w for w in words(text) if w in DOMAINS}
