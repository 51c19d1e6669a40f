"""The questions `describe` asks, as data: each explained in one line with an example.

The interview (a new file) and `--fill` (an existing one) both ask through a function
the command line passes in, so everything here is testable without a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from spreadkit import wording

MODES = ("face-to-face", "remote", "digital", "individual", "group", "self-directed")


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    prompt: str
    explain: str
    example: str = ""
    choices: tuple[str, ...] = ()  # when set, the answer must be one of these (or a list of them)
    many: bool = False  # a comma-separated list of choices
    again: str = ""  # set when the question is asked again: why the last answer was refused, in one line
    now: str = ""  # for `--fill`: the text the answer replaces


Ask = Callable[[Question], str]
# Why an answer is refused, in one line; "" when it is accepted.
Refuse = Callable[[str], str]


def slug(text: str, fallback: str = "item") -> str:
    """An id from free text: `Clinical pharmacist` -> `clinical-pharmacist`."""
    return wording.slug(text)[:48].strip("-") or fallback


def choices_in(answer: str, choices: tuple[str, ...]) -> list[str]:
    """The choices named in a comma-separated answer, in the order given; others dropped.
    Case and spaces for hyphens do not matter (`Face to face` is `face-to-face`)."""
    named = (_choice(part) for part in answer.split(","))
    return [part for part in named if part in choices]


def _choice(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().casefold())


def refusal(question: Question, answer: str) -> str:
    """Why `answer` is not an answer to a question with choices ("" when it is): each
    part it names must be one of them, and only a question that takes several takes a list."""
    if not question.choices or not answer.strip():
        return ""
    parts = [part.strip() for part in answer.split(",") if part.strip()] if question.many else [answer.strip()]
    unknown = [part for part in parts if _choice(part) not in question.choices]
    if not unknown:
        return ""
    named = ", ".join(f"`{part}`" for part in unknown)
    verb = "is" if len(unknown) == 1 else "are"
    several = "; separate several with commas" if question.many else ""
    return f"{named} {verb} not one of: {', '.join(question.choices)}{several}."


def ask_until_accepted(ask: Ask, question: Question, refuse: Refuse | None = None) -> str:
    """The answer to `question`, asked again, with the reason, for as long as it is refused
    (`refuse` adds reasons of its own to those of the question's choices). A blank answer
    is always accepted: it leaves the question for later."""
    asked = question
    while True:
        answer = ask(asked).strip()
        reason = (refusal(question, answer) or (refuse(answer) if refuse else "")) if answer else ""
        if not reason:
            return answer
        asked = replace(question, again=reason)


# The interview for a new file, in TIDieR order.
NAME = Question("name", "Brief name (TIDieR 1)", "A name people can say and search for.", "PINCER")
TITLE = Question("title", "Full name", "The long form of the name.",
                 "Pharmacist-led IT intervention to reduce hazardous prescribing")
PROBLEM = Question("problem", "The problem (TIDieR 2: why)", "What goes wrong today, for whom, how often.",
                   "1 in 20 prescriptions in general practice holds an error")
GOAL = Question("goal", "The goal", "What the intervention sets out to change.", "Fewer hazardous prescriptions")
RATIONALE = Question("rationale", "Why it should work", "The evidence or theory behind its parts.",
                     "Audit and feedback make hidden risk visible")
MATERIAL = Question("material", "Main material (TIDieR 3)", "Something used in delivery or training.",
                    "A library of searches for the clinical system")
WHO = Question("who", "Who delivers it (TIDieR 5)", "The role, in a few words.", "Clinical pharmacist")
HOW = Question("how", "How it is delivered (TIDieR 6)", "One or more of: " + ", ".join(MODES) + ".",
               "face-to-face, group", MODES, many=True)
WHERE = Question("where", "Where (TIDieR 7)", "The place, and what is needed there.",
                 "In the practice, using the clinical system")
FREQUENCY = Question("frequency", "How often (TIDieR 8)", "The schedule.", "monthly")
DURATION = Question("duration", "For how long", "The length of the programme.", "12 months")
TAILORING = Question("tailoring", "What is tailored to each person or site (TIDieR 9)",
                     "Planned personalisation at delivery.", "Which patients are reviewed first")
KIND = Question("kind", "Add a component: core or adaptable? (blank to finish)",
                "Core: its function must be kept everywhere. Adaptable: its form may change.", "core",
                ("core", "adaptable"))
PART_NAME = Question("part_name", "Component name (TIDieR 4)", "What this part of the intervention is called.",
                     "Identify patients at risk")
CORE_FUNCTION = Question("function", "What function must be kept?", "What this part achieves, wherever it goes.",
                         "Every patient exposed to a hazardous prescription is found")
FORM = Question("form", "What form did it take?", "What it looked like where it was first delivered.",
                "The pharmacist runs the searches each month")
FIDELITY = Question("fidelity", "How will you know it is kept? (TIDieR 11)", "A check a site can make.",
                    "Searches run every month")
ADAPTABLE_FUNCTION = Question("function", "What is it for?", "Its purpose, which any new form must serve.",
                              "Prescribers agree the actions")
MAY_CHANGE = Question("guidance", "What may change?", "How a site may choose another form.",
                      "Any format in which every prescriber hears the findings")
LIMITS = Question("limits", "Within which limits?", "A boundary any change must respect.",
                  "Prescribers see their own practice's results")

INTERVIEW = (NAME, TITLE, PROBLEM, GOAL, RATIONALE, MATERIAL, WHO, HOW, WHERE, FREQUENCY, DURATION, TAILORING)

# What `--fill` asks for a placeholder, by where it is (list indexes written `[]`). The
# interview's questions where they fit, so that a key is asked about in the same words.
SUMMARY = Question("summary", "Summary", "One paragraph for a busy reader.",
                   "Computer searches find patients at risk; a pharmacist helps the practice act.")
PLACEHOLDER_QUESTIONS = {
    "title": TITLE,
    "summary": SUMMARY,
    "innovators[].name": Question("name", "Who to ask", "A person or team that adopters can ask.",
                                  "The PINCER team, University of Nottingham"),
    "innovators[].organisation": Question("organisation", "Organisation", "Where the innovators work.",
                                          "University of Nottingham"),
    "innovators[].contact": Question("contact", "Contact", "An email or web address for questions.",
                                     "pincer@example.org"),
    "why.problem": PROBLEM,
    "why.goal": GOAL,
    "why.rationale": RATIONALE,
    "why.mechanisms[].description": Question(
        "description", "How does it bring about the change? (TIDieR 2)",
        "The mechanism: what happens that leads to the outcomes.",
        "Seeing their own results leads prescribers to change their routines"),
    "outcomes[].name": Question("name", "What is measured?", "A measure an adopter can collect.",
                                "Hazardous prescribing (composite)"),
    "outcomes[].measure": Question("measure", "How is it measured?", "The numerator and denominator, or the scale.",
                                   "Patients with a hazardous prescription, of all patients at risk"),
    "roles[].title": WHO,
    "roles[].expertise": Question("expertise", "Expertise needed (TIDieR 5)",
                                  "The qualifications and experience the role needs.",
                                  "A registered pharmacist with experience in general practice"),
    "roles[].training": Question("training", "Training for this intervention (TIDieR 5)",
                                 "What the role is taught before delivering it.",
                                 "Two days on the searches and on leading a root-cause discussion"),
    "materials[].name": MATERIAL,
    "components[].name": PART_NAME,
    "components[].form": FORM,
    "components[].where": WHERE,
    "components[].dose.frequency": FREQUENCY,
    "components[].dose.duration": DURATION,
    "components[].fidelity[].criterion": FIDELITY,
    "components[].guidance": MAY_CHANGE,
    "components[].limits[]": LIMITS,
    "components[].requires[].need": Question("need", "What must a site have?", "A need, in plain words.",
                                             "A pharmacist with access to the clinical system"),
    "context.population": Question("population", "Who was it built for?", "The people it was designed for.",
                                   "Adults registered with a general practice"),
    "tailoring[].what": TAILORING,
    "tailoring[].why": Question("why", "Why is it tailored?", "The reason it differs from person to person.",
                                "Patients at highest risk benefit most"),
    "tailoring[].how": Question("how", "How is it tailored?", "Who decides, and on what.",
                                "The pharmacist ranks the list by risk"),
}
# A component's function is asked as the interview asks it, by kind.
FUNCTION_BY_KIND = {"core": CORE_FUNCTION, "adaptable": ADAPTABLE_FUNCTION}
# What a measure of each type is, for `outcomes[].name`, and an example.
MEASURE_TYPES = {"outcome": ("The outcome that should improve.", "Hazardous prescribing (composite)"),
                 "process": ("A sign that the core function was delivered.", "Searches run on schedule"),
                 "balancing": ("What could get worse elsewhere.", "Pharmacist time taken from other work")}


# What a line of a terminal must not hold raw: a control character from a file could
# move the cursor or forge a line (ESC, CR, BS...). Shown escaped instead.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# How much of the text an answer replaces the hint shows.
NOW_WIDTH = 160


def hint(question: Question) -> str:
    """The one line shown before a question: for `--fill`, the text the answer replaces;
    then what the question asks, and an example."""
    parts = []
    if question.now:
        now = _CONTROL.sub(_escaped, " ".join(question.now.split()))
        parts.append(f'Now: "{shorten(now, NOW_WIDTH)}".')
    parts.append(question.explain)
    if question.example:
        parts.append(f"For example: {question.example}")
    return " ".join(parts)


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shorten(text: str, width: int) -> str:
    """At most `width` characters, cut at a space, never inside a word, marked with `…`
    (a single word longer than `width` is kept whole)."""
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    head = text[:cut].rstrip() if cut > 0 else text.split(" ", 1)[0]
    return head + "…" if len(head) < len(text) else head
