"""What a patient on an immune checkpoint inhibitor must report at once, for the handout.

Written in our own words (none quoted) from: the EMA product information — summary of
product characteristics section 4.4, package leaflet sections 2 and 4, and the patient
alert card — of Keytruda (pembrolizumab), Opdivo (nivolumab), Yervoy (ipilimumab),
Tecentriq (atezolizumab), Imfinzi (durvalumab), Libtayo (cemiplimab) and Imjudo
(tremelimumab), https://www.ema.europa.eu/en/medicines/human/EPAR/keytruda (and .../opdivo,
.../yervoy...); the Keytruda package leaflet as published on
https://www.medicines.org.uk/emc/medicine/33163 ("keep the Alert Card with you during
treatment"); and the French patient information of the Institut national du cancer on the
side effects of immunotherapy (https://www.e-cancer.fr, Patients et proches). The signs
follow the leaflets' organs: intestine (colitis), lungs (pneumonitis), skin, liver
(hepatitis), hormone glands (thyroid, pituitary, adrenal glands, pancreas: type 1 diabetes),
kidneys, muscles and heart. Reactions may begin during treatment or after it has ended (the
leaflets; ../shared/reference/CLINICAL_NOTES.md §5).

Whom to call says only what the handout can promise: the unit when it is open, 15 (SAMU)
or an emergency department when it is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from planner.core.regimen import Agent, Regimen
from planner.explain import agent_names
from planner.i18n import _

CHECKPOINT_FAMILIES = frozenset({"anti-PD-1", "anti-PD-L1", "anti-CTLA-4"})
"""The immune checkpoint inhibitors (agents.toml families), whose side effects are immune."""


def has_checkpoint_inhibitor(regimen: Regimen) -> bool:
    """Does the regimen give an immune checkpoint inhibitor?"""
    return any(a.family in CHECKPOINT_FAMILIES for a in regimen.active_agents)


def immune_section(agents: Sequence[Agent], phone: str) -> str:
    """The section's HTML, in the current language: the signs (in two columns), that they
    can come late, the alert card, and whom to call."""
    intro = _(
        "Immunotherapy helps your immune system fight the cancer. It can also make the "
        "immune system act on healthy organs: the intestine, lungs, skin, liver, hormone "
        "glands or others. Treated early, these reactions usually get better. Call at "
        "once, without waiting for your next appointment, if you have:"
    )
    items = [
        _("diarrhoea, more frequent stools, blood in the stools, or pain in the belly;"),
        _("a new or worsening cough, breathlessness or pain in the chest;"),
        _("a skin rash, itching, blisters or sores in the mouth;"),
        _("yellow skin or eyes, dark urine, or bleeding or bruising more easily;"),
        _("severe or unusual tiredness;"),
        _("a headache that does not go away, or changes in your vision;"),
        _("great thirst, or passing much more or much less urine than usual;"),
        _(
            "signs of a thyroid problem: a racing or pounding heart, feeling unusually hot "
            "or cold, weight change without reason;"
        ),
        _("muscle pain or weakness."),
    ]
    later = _(
        "These reactions can start weeks or even months after a dose, and even after "
        "the treatment has ended."
    )
    card = _(
        "Always carry the patient alert card given with your treatment. Tell any doctor, "
        "pharmacist or emergency department you see, even for something else, that you "
        "are receiving immunotherapy ({drugs})."
    ).format(drugs=agent_names(list(agents)))
    call = _(
        "Day and night: when the unit is open, call {phone}. When it is closed (nights, "
        "weekends, public holidays), call 15 (SAMU) or go to an emergency department, "
        "and show your card."
    ).format(phone=phone)
    half = (len(items) + 1) // 2
    columns = "".join(
        "<td width='50%' valign='top'><ul>"
        + "".join(f"<li>{escape(item)}</li>" for item in column)
        + "</ul></td>"
        for column in (items[:half], items[half:])
    )
    return (
        f"<p>{escape(intro)}</p>"
        f"<table cellpadding='0' cellspacing='0' width='100%'><tr>{columns}</tr></table>"
        f"<p style='margin-top: 4pt'><b>{escape(later)}</b> {escape(card)}</p>"
        f"<p><b>{escape(call)}</b></p>"
    )
