"""Clichés and empty phrases that program directors report skimming past.

The list and the advice are ours. Each entry is a regex fragment (matched
case-insensitively on the ASCII analysis view), what is wrong with it, and what to
show instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import INFO, WARNING, Finding


@dataclass(frozen=True, slots=True)
class Cliche:
    pattern: str
    message: str
    suggestion: str
    severity: str = WARNING


_CHILD = r"(?:a\s+(?:small\s+|little\s+|young\s+)?(?:child|kid|boy|girl)|little|young|small)"

CLICHES: tuple[Cliche, ...] = (
    Cliche(
        rf"(?:ever\s+)?since\s+I\s+was\s+{_CHILD}",
        "Childhood origin stories are the most common opening programs see.",
        "Start with a recent moment from your own clinical work that shows why this specialty.",
    ),
    Cliche(
        r"(?:ever\s+since|for\s+as\s+long\s+as)\s+I\s+can\s+remember",
        "'As long as I can remember' tells the reader nothing specific about you.",
        "Name the concrete experience that actually made you choose this path, and when.",
    ),
    Cliche(
        r"(?:from|at)\s+(?:a\s+)?(?:very\s+)?(?:young|early|tender)\s+age",
        "'From a young age' is a stock phrase that replaces evidence with a claim.",
        "Show what you did about that interest later: a project, a job, a patient.",
    ),
    Cliche(
        r"passion(?:ate)?\s+(?:for|about)\s+(?:medicine|healing|helping|health\s*care|science)",
        "Every applicant claims a passion for medicine; the word has lost its force.",
        "Describe something you kept doing without being asked; let the reader infer passion.",
    ),
    Cliche(
        r"help(?:ing)?\s+(?:other\s+|sick\s+|the\s+)?(?:people|others|humanity|mankind)",
        "'Helping people' is true of every health profession, so it says nothing about you.",
        "Say whom you helped, how, and what changed for them: one specific patient or task.",
    ),
    Cliche(
        r"make\s+a\s+(?:real\s+|positive\s+|big\s+|lasting\s+)?difference",
        "'Make a difference' is vague; the reader cannot picture it.",
        "Give one measurable or concrete result of your work (a clinic you ran, a protocol).",
    ),
    Cliche(
        r"(?:dream|dreamt|dreamed)\s+of\s+becoming|(?:life-?long|childhood)\s+dream",
        "A 'dream of becoming a doctor' looks back; programs want to see where you are going.",
        "State what you want to do as a resident and the evidence that you are ready for it.",
    ),
    Cliche(
        r"(?:I\s+have\s+)?always\s+wanted\s+to\s+(?:be|become)\s+(?:a\s+)?(?:doctor|physician)",
        "'Always wanted to be a doctor' is a cliché and you are one already.",
        "Explain why THIS specialty, using a case or experience from your training.",
    ),
    Cliche(
        r"(?:medicine\s+is|is\s+my|was\s+my|answer(?:ed|ing)?\s+(?:the|my))\s+(?:true\s+)?calling",
        "'Calling' language sounds grand but abstract.",
        "Replace it with the moment you chose the specialty and what you did next.",
    ),
    Cliche(
        r"noble\s+profession",
        "Calling medicine 'noble' flatters the reader but adds nothing.",
        "Cut it; describe the work itself instead.",
    ),
    Cliche(
        r"(?:save|saving)\s+(?:people'?s\s+)?lives",
        "'Saving lives' is dramatic and generic.",
        "Describe a specific intervention you made and what happened to the patient.",
    ),
    Cliche(
        r"touch(?:ed|ing)?\s+(?:the\s+|people'?s\s+|many\s+)?lives",
        "'Touching lives' is a greeting-card phrase.",
        "Show the relationship with one patient in two or three concrete sentences.",
    ),
    Cliche(
        r"(?:thirst|hunger)\s+for\s+knowledge|quench\s+my\s+thirst",
        "'Thirst for knowledge' is an empty claim.",
        "Name something you taught yourself recently and how you used it on the wards.",
    ),
    Cliche(
        r"life-?long\s+learner",
        "'Lifelong learner' is on nearly every statement.",
        "Mention a course, journal club or skill you pursued on your own, and the result.",
        INFO,
    ),
    Cliche(
        r"team\s+player",
        "'Team player' is a label; programs want evidence.",
        "Describe a handoff, code or family meeting where you made the team work better.",
    ),
    Cliche(
        r"hard[\s-]?working(?:\s+and\s+dedicated)?|strong\s+work\s+ethic",
        "Calling yourself hard-working is an unsupported claim.",
        "Let numbers or duties show it: night calls covered, patients followed, projects done.",
    ),
    Cliche(
        r"people\s+person",
        "'People person' is informal and unconvincing.",
        "Describe a conversation with a patient or family that went well because of you.",
    ),
    Cliche(
        r"think(?:ing)?\s+outside\s+the\s+box",
        "A business cliché that reads as filler.",
        "Describe the unusual solution you actually found.",
    ),
    Cliche(
        r"at\s+the\s+end\s+of\s+the\s+day",
        "Filler phrase that weakens the sentence.",
        "Delete it; the sentence is stronger without it.",
        INFO,
    ),
    Cliche(
        r"in\s+(?:today'?s\s+(?:world|society|fast-paced\s+world)|this\s+day\s+and\s+age)",
        "Sweeping opener that postpones your point.",
        "Start with your own experience instead of a statement about the world.",
    ),
    Cliche(
        r"(?:merriam-webster|webster'?s?|the\s+dictionary|oxford\s+dictionary)\s+defines",
        "Dictionary openings are a well-known cliché.",
        "Open with a scene from your own work.",
    ),
    Cliche(
        r"(?:the\s+)?(?:perfect|ideal|great)\s+fit\s+for\s+(?:your|this|the)\s+program",
        "Every applicant says they are a perfect fit.",
        "Link one concrete program feature to one concrete thing you have done.",
    ),
    Cliche(
        r"(?:an?\s+)?(?:valuable\s+|great\s+)?asset\s+to\s+(?:your|any|the)\s+program",
        "'An asset to your program' is a claim without evidence.",
        "Say what you will contribute (a skill, a language, research) and prove it once.",
    ),
    Cliche(
        r"(?:the\s+)?(?:perfect\s+|unique\s+)?(?:blend|combination|mix)\s+of\s+(?:art\s+and\s+"
        r"science|science\s+and\s+art)|art\s+and\s+science\s+of\s+medicine",
        "'The art and science of medicine' is one of the most repeated phrases.",
        "Show a case where both judgment and data mattered, without naming the cliché.",
    ),
    Cliche(
        r"little\s+did\s+I\s+know",
        "A storytelling cliché that signals a predictable twist.",
        "Tell what happened plainly; let the facts carry the surprise.",
    ),
    Cliche(
        r"(?:it\s+was\s+(?:then|at\s+that\s+moment)\s+that|that\s+was\s+when)\s+I\s+"
        r"(?:realized|realised|knew|decided)",
        "The 'moment I knew' device is expected and rarely believed.",
        "Show how your interest grew over several experiences instead of one epiphany.",
    ),
    Cliche(
        r"the\s+rest\s+is\s+history",
        "Skips the part programs actually want to read.",
        "Tell the rest: what you did, what you learned, what changed.",
    ),
    Cliche(
        r"(?:wear(?:ing)?|don(?:ning)?|put(?:ting)?\s+on)\s+(?:a|the|my)\s+white\s+coat",
        "The white-coat image is a common symbolic cliché.",
        "Replace the symbol with a real responsibility you carried.",
        INFO,
    ),
    Cliche(
        r"(?:out\s+of|step(?:ped|ping)?\s+outside)\s+(?:of\s+)?my\s+comfort\s+zone",
        "'Comfort zone' is a stock phrase.",
        "Name the specific challenge and what you did to meet it.",
        INFO,
    ),
    Cliche(
        r"heal(?:ing)?\s+the\s+sick",
        "Biblical-sounding phrase that distances you from real patients.",
        "Describe care you personally gave.",
    ),
    Cliche(
        r"(?:a\s+)?steep\s+learning\s+curve",
        "Generic phrase for any hard start.",
        "Say what was hard and what skill you built, with an example.",
        INFO,
    ),
    Cliche(
        r"(?:most\s+)?rewarding\s+(?:career|profession|experience\s+of\s+my\s+life)",
        "Calling medicine 'rewarding' is true of every applicant.",
        "Describe the specific part of the work that keeps you going.",
        INFO,
    ),
    Cliche(
        r"I\s+(?:truly\s+|strongly\s+|firmly\s+)?believe\s+that\s+I\s+(?:would|will)\s+be\s+an?\s+"
        r"(?:excellent|great|perfect|ideal|outstanding)",
        "Rating yourself reads as unsupported praise.",
        "Let your letters praise you; here, give evidence and let the reader conclude.",
    ),
    Cliche(
        r"(?:the\s+)?human\s+body\s+(?:has\s+)?(?:always\s+)?fascinat(?:ed|es)\s+me",
        "Fascination with 'the human body' is generic and pre-clinical.",
        "Name the clinical question in this specialty that you want to spend years on.",
    ),
)

_CLICHE_RE = re.compile(
    "|".join(rf"(?P<c{i}>\b(?:{c.pattern})\b)" for i, c in enumerate(CLICHES)),
    re.IGNORECASE,
)


def cliche_findings(text: str) -> list[Finding]:
    findings = []
    for m in _CLICHE_RE.finditer(text):
        index = int(str(m.lastgroup)[1:])
        cliche = CLICHES[index]
        findings.append(
            Finding(
                "cliche",
                cliche.severity,
                m.start(),
                m.end(),
                f"Cliché: '{m.group()}'. {cliche.message}",
                cliche.suggestion,
            )
        )
    return findings
