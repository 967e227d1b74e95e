"""The proposal template, defined once.

It follows the 8-section format of HOW_TO_PROPOSE_PROJECT.md (the document 2021 participants
used). The modal, validation, the posted message, the digest and the export all read `SECTIONS`;
changing a label, hint or limit here changes it everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from slackbot.domain.vocabulary import LANGUAGES


class Kind(str, Enum):
    NAME = "name"  # one line, becomes the post's header
    TEXT = "text"  # free text, possibly multiline
    LANGUAGES = "languages"  # multi-select from LANGUAGES, plus an "other" free text
    MODEL = "model"  # hub id, hub URL or architecture
    ITEMS = "items"  # one link or name per line
    LINKS = "links"  # one http(s) link per line


@dataclass(frozen=True)
class Section:
    id: str  # block_id in the modal, column in the database, key in the export
    number: int  # the section's number in the 2021 guide
    title: str  # heading in the posted message and the export
    label: str  # the question in the modal
    hint: str  # what a good answer is; shown under the field
    placeholder: str  # an example answer, shown greyed out in the empty field
    required: bool
    max_length: int
    kind: Kind
    multiline: bool = False
    # Headings people give this section in pasted proposals, besides its title and label
    # (compared folded: case, accents and punctuation ignored; see `domain/pasted.py`).
    aliases: tuple[str, ...] = ()
    # Words that make a marked heading (`## …`, a bold line) this section's when it is none of
    # the above ("Model to use", "Links to the datasets"); singular forms.
    keywords: tuple[str, ...] = ()


# Block Kit: header text <= 150, section text <= 3000 (the heading takes a few of those),
# plain_text_input max_length <= 3000, placeholder <= 150, hint <= 2000.
SECTIONS: tuple[Section, ...] = (
    Section(
        id="name",
        number=1,
        title="Project",
        label="Project name",
        hint=(
            "Be specific: say the task, the model and the language. "
            '"Train a language model" or "Image classification" are too vague.'
        ),
        placeholder="Using a T5 model to learn grammar correction in French",
        required=True,
        max_length=150,
        kind=Kind.NAME,
        aliases=(
            "name",
            "project name",
            "title",
            "project title",
            "name of project",
            "name of the project",
        ),
    ),
    Section(
        id="description",
        number=1,
        title="Description",
        label="A clear description of the project",
        hint="What will the model do, for whom, and how will you know it works?",
        placeholder="Fine-tune T5 on a French grammatical-error corpus so it rewrites sentences…",
        required=True,
        max_length=2500,
        kind=Kind.TEXT,
        multiline=True,
        aliases=(
            "project description",
            "a clear description",
            "background",
            "summary",
            "overview",
            "idea",
            "the idea",
            "abstract",
            "motivation",
            "introduction",
            "about",
            "about the project",
            "goal",
            "goals",
            "roadmap",
            "plan",
            "project plan",
            "approach",
            "details",
        ),
        keywords=(
            "description",
            "background",
            "overview",
            "summary",
            "roadmap",
            "motivation",
            "idea",
            "abstract",
            "introduction",
            "plan",
        ),
    ),
    Section(
        id="languages",
        number=2,
        title="Language",
        label="In which language will the project be conducted?",
        hint="Pick one or several. Same idea in a different language? Welcome: propose it too.",
        placeholder="Choose languages",
        required=True,
        max_length=100,
        kind=Kind.LANGUAGES,
        aliases=(
            "languages",
            "language s",
            "target language",
            "target languages",
            "which language",
            "language of the project",
            "in which language should the project be conducted",
        ),
        keywords=("language",),
    ),
    Section(
        id="model",
        number=3,
        title="Model",
        label="Which model should be used?",
        hint=(
            "A Hugging Face model id or link (e.g. google/mt5-small, "
            "https://huggingface.co/roberta-base), or the architecture to train from scratch "
            "(BERT, CLIP, …)."
        ),
        placeholder="t5-base",
        required=True,
        max_length=300,
        kind=Kind.MODEL,
        aliases=(
            "models",
            "model to use",
            "which model",
            "model to be used",
            "pretrained model",
            "pre trained model",
            "base model",
            "architecture",
            "model architecture",
            "checkpoint",
        ),
        keywords=("model", "architecture", "checkpoint"),
    ),
    Section(
        id="datasets",
        number=4,
        title="Datasets",
        label="What data should be used?",
        hint="One dataset per line: a link or a 🤗 Datasets name (e.g. oscar, mc4).",
        placeholder="https://huggingface.co/datasets/oscar",
        required=True,
        max_length=1500,
        kind=Kind.ITEMS,
        multiline=True,
        aliases=(
            "dataset",
            "data",
            "training data",
            "data to use",
            "which data",
            "corpus",
            "corpora",
            "data sets",
            "data set",
        ),
        keywords=("dataset", "data", "corpus", "corpora"),
    ),
    Section(
        id="training_scripts",
        number=5,
        title="Training scripts",
        label="Are similar training scripts available in Flax/JAX?",
        hint="Link a script that can be used or tweaked, e.g. run_summarization_flax.py.",
        placeholder="We can use run_summarization_flax.py to train the model.",
        required=True,
        max_length=1500,
        kind=Kind.TEXT,
        multiline=True,
        aliases=(
            "training script",
            "available training scripts",
            "scripts",
            "script",
            "training",
            "existing scripts",
            "similar training scripts",
            "code",
        ),
        keywords=("script", "training"),
    ),
    Section(
        id="challenges",
        number=6,
        title="Challenges",
        label="What are possible challenges?",
        hint="E.g. training convergence usually takes a long time, or the data needs cleaning.",
        placeholder="Convergence of the pretraining may take longer than the week",
        required=False,
        max_length=1500,
        kind=Kind.TEXT,
        multiline=True,
        aliases=(
            "challenge",
            "possible challenges",
            "potential challenges",
            "difficulties",
            "risks",
            "limitations",
            "possible difficulties",
        ),
        keywords=("challenge", "difficulty", "difficultie", "risk", "limitation"),
    ),
    Section(
        id="outcome",
        number=7,
        title="Desired project outcome",
        label="What is the desired project outcome?",
        hint="How would you like to demo it? E.g. a Streamlit app.",
        placeholder="A Streamlit demo that corrects French sentences",
        required=False,
        max_length=1500,
        kind=Kind.TEXT,
        multiline=True,
        aliases=(
            "outcome",
            "desired outcome",
            "expected outcome",
            "expected outcomes",
            "project outcome",
            "deliverables",
            "demo",
            "results",
            "expected results",
        ),
        keywords=("outcome", "deliverable", "demo", "result"),
    ),
    Section(
        id="reads",
        number=8,
        title="Reads",
        label="Links to read upon",
        hint="One http(s) link per line that helps readers understand the idea.",
        placeholder="https://arxiv.org/abs/1910.10683",
        required=False,
        max_length=1500,
        kind=Kind.LINKS,
        multiline=True,
        aliases=(
            "read",
            "reading",
            "readings",
            "suggested reading",
            "suggested readings",
            "further reading",
            "references",
            "resources",
            "related work",
            "papers",
            "links",
            "useful links",
            "links to read",
        ),
        keywords=("read", "reading", "reference", "resource", "paper", "link"),
    ),
)

SECTIONS_BY_ID: dict[str, Section] = {s.id: s for s in SECTIONS}

# The free-text companion of the languages select ("other" languages).
LANGUAGE_OTHER_ID = "language_other"
LANGUAGE_OTHER_MAX = 100
LANGUAGE_OPTIONS: tuple[tuple[str, str], ...] = LANGUAGES

GUIDE_EXAMPLES = (
    '"Using a T5 model to learn grammar correction in French"',
    '"Adapting a pre-trained CLIP model for zero-shot image classification in Spanish"',
)

# The guide's links, where the form and the advice point people.
HUB_JAX_CHECKPOINTS = "https://huggingface.co/models?filter=jax"
AWESOME_JAX = "https://github.com/n2cholas/awesome-jax"
QUICKSTART = (
    "https://github.com/huggingface/transformers/tree/v4.30.0/examples/research_projects/"
    "jax-projects#quickstart-flax-and-jax-in-transformers"
)
SEQ2SEQ_SCRIPT = "run_summarization_flax.py"
# The guide's team sizes: what works best, and the most a team can be.
TEAM_SIZE_ADVICE = (3, 5)

# The guide's copy-paste format (HOW_TO_PROPOSE_PROJECT.md), as 2021 proposers pasted it. Its
# `<FILL ME…>` placeholders and the sentences around them are dropped from a pasted proposal.
GUIDE_TEMPLATE = """\
# <FILL ME: Name of project>

<FILL ME: A clear description of the project>

## 2. Language

The model will be trained in <FILL ME: which language?>.

## 3. Model

<FILL ME: 3. Which model should be used?>

## 4. Datasets

<FILL ME: 4. Which data should be used?>

Possible links to publicly available datasets include:
- <FILL ME: Link 1 to dataset>
- <FILL ME: Link 2 to dataset>
- <FILL ME: Link 3 to dataset>

## 5. Training scripts

<FILL ME: 5. Are there publicly available training scripts that can be used/tweaked for the \
project?>

We can make use of <FILL ME: link to training script> to train the model.>

## 6. (Optional) Challenges

<(Optionally) FILL ME: 6. What are possible challenges?>

## 7. (Optional) Desired project outcome

<(Optionally) FILL ME: 7. What is the desired project outcome? A demo?>

## 8. (Optional) Reads

The following links can be useful to better understand the project and
what has previously been done.

- <FILL ME: Link 1 to read>
- <FILL ME: Link 2 to read>
- <FILL ME: Link 3 to read>
"""
