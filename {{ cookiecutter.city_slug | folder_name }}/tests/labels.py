"""The tests' own reading of publishers' labels, written out from their documentation independently of the
presets (a preset that reads a label another way fails the tests that use these)."""

from __future__ import annotations

# Minneapolis stop data: the Open Policing Project's reading of the race labels ("East African" counts as black).
MINNEAPOLIS_RACE = {
    "Asian": "asian/pacific islander", "Black": "black", "East African": "black", "Latino": "hispanic",
    "Native American": "other", "Other": "other", "Unknown": "unknown", "White": "white", "": "unknown",
}  # fmt: skip

# NYPD's race labels (arrests); Hispanic ethnicity counts as hispanic whatever the race.
NYC_RACE = {
    "BLACK": "black", "WHITE": "white", "WHITE HISPANIC": "hispanic", "BLACK HISPANIC": "hispanic",
    "ASIAN / PACIFIC ISLANDER": "asian/pacific islander", "AMERICAN INDIAN/ALASKAN NATIVE": "other",
    "OTHER": "other", "UNKNOWN": "unknown",
}  # fmt: skip

# New Orleans use of force: "Subject Ethnicity" holds race labels, one of them abbreviated.
NEW_ORLEANS_RACE = {
    "Black": "black", "White": "white", "W": "white", "Hispanic": "hispanic", "Asian": "asian/pacific islander",
    "Indian": "other",
}  # fmt: skip

# Erie County warrants: "White Male" is race "White", sex "Male".
ERIE_RACE = {
    "White": "white", "Black": "black", "Hispanic": "hispanic", "Asian": "asian/pacific islander",
    "American Indian": "other",
}  # fmt: skip

# Chicago personnel records: each file codes race its own way.
CHICAGO_ROSTER_RACE = {
    "WHITE": "white", "BLACK": "black", "HISPANIC": "hispanic", "ASIAN/PACIFIC ISLANDER": "asian/pacific islander",
    "AMER IND/ALASKAN NATIVE": "other", "UNKNOWN": "unknown", "": "unknown",
}  # fmt: skip
CHICAGO_ACCUSED_RACE = {
    "WHI": "white", "BLK": "black", "S": "hispanic", "WWH": "hispanic", "API": "asian/pacific islander",
    "I": "other", "U": "unknown", "": "unknown",
}  # fmt: skip
CHICAGO_COMPLAINANT_RACE = {
    "WHITE": "white", "BLACK": "black", "WHITE HISPANIC": "hispanic", "BLACK HISPANIC": "hispanic",
    "HISPANIC": "hispanic", "ASIAN/PACIFIC ISLANDER": "asian/pacific islander", "AMER IND/ALASKAN NATIVE": "other",
    "UNKNOWN": "unknown", "": "unknown",
}  # fmt: skip
CHICAGO_FINDING = {
    "SU": "sustained", "NS": "not sustained", "UN": "unfounded", "EX": "exonerated", "NAF": "no finding",
    "NC": "no finding", "DIS": "other", "": "unknown",
}  # fmt: skip
CHICAGO_SEX = {"M": "male", "F": "female", "X": "unknown", "": "unknown"}

# Bloomington (IN) use of force: one column per race and ethnicity, marked 1 or "YES" (after "Suspect Race ").
BLOOMINGTON_RACE = {
    "Caucasian, Non-Hispanic": "white", " Caucasian, Hispanic": "hispanic",
    "African American, Non-Hispanic": "black", "African American, Hispanic": "hispanic",
    "Indian/Alaskan Native, Non-Hispanic": "other", "Indian/Alaskan Native, Hispanic": "hispanic",
    "Asian/Pacific Islander, Non-Hispanic": "asian/pacific islander", "Asian/Pacific Islander, Hispanic": "hispanic",
}  # fmt: skip
