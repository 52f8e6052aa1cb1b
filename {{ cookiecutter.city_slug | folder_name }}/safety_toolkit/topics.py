"""The nine topics: folder names, titles and what each kind of data is and is not."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    title: str
    unit: str  # what one row counts, in the plural: "stops", "arrests"
    about: str
    not_about: str


TOPICS: dict[str, Topic] = {
    topic.name: topic
    for topic in (
        Topic(
            "arrests",
            "Arrests",
            "arrests",
            "People taken into custody or charged by the police: when, for what offense, and who.",
            "Arrests are not convictions, and they measure police activity as much as crime.",
        ),
        Topic(
            "emergency_911",
            "911 calls for service",
            "calls",
            "Calls that asked the police (and sometimes fire or EMS) to respond, with their timing.",
            "Calls record what people reported, not what happened; officer-initiated calls are mixed in.",
        ),
        Topic(
            "hate_crime",
            "Hate crimes",
            "incidents",
            "Offenses the police recorded as motivated by bias, with the bias and the offense.",
            "Hate crimes are badly under-reported, and agencies differ in how they classify them.",
        ),
        Topic(
            "non_emergency_incidents",
            "Non-emergency requests and incident reports",
            "records",
            "Non-emergency (311) service requests, including those routed to the police, and police incident "
            "reports.",
            "Requests and reports reflect who calls and who reports, and how the city routes them: not the need "
            "in a neighborhood, nor all the crime there.",
        ),
        Topic(
            "police_equipment",
            "Military equipment (1033 program)",
            "transfers",
            "Surplus military equipment transferred to local agencies by the federal 1033 program.",
            "Transfers are not uses; agencies also buy equipment outside the program.",
        ),
        Topic(
            "police_personnel_records",
            "Police personnel records",
            "records",
            "Who serves on the force, and the complaints made about officers and how they ended.",
            "Complaints depend on how easy it is to file one; a finding is not a court's judgment.",
        ),
        Topic(
            "police_stops",
            "Police stops",
            "stops",
            "Traffic and pedestrian stops: who was stopped, why, and whether they were searched or cited.",
            "Race is usually the officer's perception. A disparity is not, by itself, proof of discrimination.",
        ),
        Topic(
            "use_of_force",
            "Use of force",
            "uses of force",
            "Incidents in which officers used force, with the kind of force and the person it was used on.",
            "Reports depend on officers filing them; policies on what must be reported differ and change.",
        ),
        Topic(
            "warrants",
            "Warrants",
            "warrants",
            "Warrants issued, served and still outstanding, by type.",
            "A warrant is an accusation or a court order, not a finding of guilt.",
        ),
    )
}
