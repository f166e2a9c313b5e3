"""When to call the day hospital, for the handout: the signs a patient must not keep for the
next appointment, in plain words, chosen for the patient's treatment.

Written in our own words (none quoted) from:

* the French patient information of the Institut national du cancer: the guide
  *Comprendre la chimiothérapie* (collection Guides Cancer info, www.e-cancer.fr) for the
  side effects of chemotherapy to report without waiting — fever, diarrhoea, sores in the
  mouth, vomiting, bleeding (fewer platelets) — and the page on the implantable port
  (https://e-cancer.fr/Patients-et-proches/Les-cancers/Cancer-du-sein/Chimiotherapie/Chambre-implantable)
  for pain or swelling where it lies;
* the oxaliplatin summary of product characteristics, section 4.4 (for example Oxaliplatin
  5 mg/ml concentrate for solution for infusion, https://www.medicines.org.uk/emc/product/3024/smpc,
  and its package leaflet .../3024/pil): acute sensory symptoms of the hands, feet, mouth
  or throat brought on by cold (cold-induced dysaesthesia), the throat's making swallowing
  or breathing feel difficult (laryngopharyngeal dysaesthesia), and symptoms that last
  until the next cycle, which change the next dose.

Fever comes first for every treatment. The other signs of chemotherapy only with a
chemotherapy (class ``chemotherapy`` in agents.toml); the port's only where a port is in
place, planned or recommended; cold only with oxaliplatin. Immunotherapy's own signs are in
planner.export.immune.
"""

from __future__ import annotations

from planner.core.regimen import AgentClass, Regimen
from planner.i18n import _

OXALIPLATIN = "oxaliplatin"


def has_chemotherapy(regimen: Regimen) -> bool:
    return AgentClass.CHEMOTHERAPY in regimen.classes


def warning_signs(regimen: Regimen, *, port: bool) -> list[str]:
    """The signs to call for, in the current language, most urgent first (each item of a
    list ending with ";", the last with "."). ``port``: the patient has or will have an
    implantable port (in place, planned, or recommended)."""
    signs = [_("a fever (38 °C or more) or shivers;")]
    if has_chemotherapy(regimen):
        signs += [
            _("diarrhoea (loose stools several times a day);"),
            _("vomiting, or being unable to drink;"),
            _("mouth sores or a painful mouth;"),
            _("bleeding, or bruises without a knock;"),
        ]
    if port:
        signs.append(_("a painful or swollen implantable port;"))
    if any(agent.inn == OXALIPLATIN for agent in regimen.active_agents):
        signs.append(
            _(
                "with oxaliplatin, tingling or numbness brought on by cold (hands, feet, "
                "mouth, throat) that makes swallowing or breathing difficult, or is still "
                "there at your next session;"
            )
        )
    signs.append(_("anything else that is unusual for you or worries you."))
    return signs
