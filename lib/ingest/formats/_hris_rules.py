"""How HRIS employee reports name their columns and values (docs/IMPORT.md, "HRIS reports").

The header synonyms, the separation rules (status, type
and reason text → voluntary / involuntary), the regretted flag and the sourcing words the
HRIS format (`hris.py`) reads with. Sources of each spelling: REFERENCE.md §1 (BambooHR,
Workday, HiBob, Personio, Rippling, ADP field names) and the hand-kept spreadsheets public
HR data sets imitate (`EmpID`, `DateofHire`, `EmploymentStatus`, `TermReason`).

Headers are compared by their *loose key*: lower case, `#` read as "number", everything
but letters and digits dropped, so `Employee #`, `employeeNumber` and `EMPLOYEE_NUMBER`
agree, and HiBob's `work.reportsTo` is `workreportsto`.
"""

from __future__ import annotations

import json
import re

import duckdb

RULES_SETTING = "termination_rules"  # JSON {"value as written": "voluntary" | "involuntary"}
VOLUNTARY, INVOLUNTARY = "voluntary", "involuntary"


def loose(text: str) -> str:
    """`Employee #` → `employeenumber`; `Date of Hire` → `dateofhire`."""
    return re.sub(r"[^0-9a-z]", "", text.lower().replace("#", "number"))


# Each field's synonyms in order of preference; a value is taken from the first column
# of this list that has one in the row (so an empty `Rehire Date` falls back to `Hire Date`).
FIELDS: dict[str, tuple[str, ...]] = {
    "employee_id": (
        "employeeid", "employeenumber", "employeeno", "empid", "empno", "employeecode",
        "workerid", "employeeidincompany", "workemployeeidincompany", "personnelnumber",
        "associateid", "filenumber", "staffid", "personid", "id", "rootid",
    ),
    "email": (
        "workemail", "workemailaddress", "emailwork", "businessemail", "companyemail", "workcontactworkemail",
        "email", "emailaddress", "rootemail", "primaryemail",
    ),
    "name": (
        "fullname", "employeename", "name", "displayname", "rootdisplayname", "rootfullname",
        "legalname", "payrollname", "workername", "associatename", "employee",
    ),
    "first_name": ("firstname", "first", "givenname", "legalfirstname", "rootfirstname"),
    "last_name": ("lastname", "last", "surname", "familyname", "legallastname", "rootsurname"),
    # the current stint's start first: a rehire date, else the hire date, else the first one
    "hire_date": (
        "rehiredate", "hirerehiredate", "mostrecenthiredate", "currenthiredate", "hiredate",
        "dateofhire", "startdate", "workstartdate", "employmentstartdate", "joiningdate",
        "joindate", "datejoined", "originalhiredate",
    ),
    "original_hire_date": ("originalhiredate", "firsthiredate", "originalstartdate"),
    "termination_date": (
        "terminationdate", "dateoftermination", "termdate", "terminateddate", "separationdate",
        "exitdate", "leavingdate", "dateofleaving", "internalterminationdate", "lastdayofwork",
        "lastworkingday", "lastdayworked", "employeelastdayofwork", "terminationlastdayofwork",
        "lastday", "enddate", "employmentenddate",
    ),
    "status": (
        "employmentstatus", "employeestatus", "status", "workerstatus", "positionstatus",
        "internalstatus", "lifecyclestatus", "internallifecyclestatus", "rolestate",
    ),
    "active": ("active", "isactive"),
    "terminated": ("terminated", "isterminated"),
    "termination_type": (
        "terminationtype", "internalterminationtype", "primaryterminationcategory",
        "terminationcategory", "separationtype", "exittype", "leavertype", "termtype",
        "typeoftermination", "voluntaryinvoluntary", "voluntaryinvoluntaryterminationflag",
    ),
    "involuntary_flag": ("terminationinvoluntary", "involuntary", "involuntarytermination"),
    "termination_reason": (
        "terminationreason", "internalterminationreason", "primaryterminationreason",
        "localterminationreason", "reasonfortermination", "termreason", "terminationreasondescription",
        "separationreason", "exitreason", "leavingreason", "reasonforleaving", "businessprocessreason",
    ),
    "regretted": (
        "regretted", "regrettable", "regrettabletermination", "terminationregrettable",
        "regrettableattrition", "regrettedattrition", "regrettedleaver", "regret", "attritiontype",
    ),
    "team": (
        "team", "teamname", "squad", "department", "departmentname", "dept", "workdepartment",
        "homedepartmentdescription", "homedepartment", "departmentdescription",
        "supervisoryorganization", "supervisoryorganisation",
    ),
    "level": (
        "level", "joblevel", "careerlevel", "jobgrade", "grade", "managementlevel", "senioritylevel",
    ),
    "role": (
        "jobtitle", "businesstitle", "jobtitledescription", "position", "positiontitle",
        "jobprofile", "jobprofilename", "worktitle", "role",
    ),
    "location": (
        "location", "worklocation", "office", "site", "worksite", "locationcurrent",
        "locationdescription", "officelocation", "workplace",
    ),
    "sourcing": ("sourcing", "sourcingtype", "sourcingmodel", "deliverymodel", "shoring"),
    "acquired_from": (
        "acquiredfrom", "acquisition", "acquiredcompany", "acquisitioncohort", "legacycompany",
        "acquiredvia",
    ),
    "manager_id": (
        "managerid", "manageremployeeid", "manageremployeenumber", "supervisorid", "supervisoreid",
        "supervisoremployeeid", "reportstoid", "reportstoemployeeid", "managerworkerid",
        "reportstoassociateid", "linemanagerid",
    ),
    "manager_email": ("manageremail", "supervisoremail", "reportstoemail", "managerworkemail"),
    # a manager column that may hold names (`Smith, Jane`), e-mails or ids: told by its values
    "manager": (
        "reportsto", "reportingto", "manager", "managername", "supervisor", "supervisorname",
        "directmanager", "linemanager", "reportstoname", "workreportsto", "managerfullname",
    ),
}  # fmt: skip

# Headers that make a file an HRIS report rather than some other list of people.
TELLING = (
    "termination_date", "status", "team", "role", "level", "location", "termination_type",
    "termination_reason", "regretted", "manager_id", "manager", "name", "original_hire_date",
)  # fmt: skip

# Each vendor's headers that no other style writes, to name the style an import came from.
STYLES: dict[str, tuple[str, ...]] = {
    "bamboohr": ("employeenumber", "supervisoreid", "terminationregrettable", "division", "reportingto"),
    "workday": (
        "workerid", "supervisoryorganization", "primaryterminationcategory", "jobprofile",
        "jobprofilename", "managementlevel", "regrettabletermination", "businesstitle",
    ),
    "hibob": ("workemployeeidincompany", "employeeidincompany", "workreportsto", "site", "lifecyclestatus",
              "internalterminationtype"),
    "personio": ("lastworkingday", "office", "supervisor", "position"),
    "rippling": ("rolestate", "worklocation", "enddate"),
    "adp": ("associateid", "filenumber", "positionstatus", "homedepartmentdescription",
            "jobtitledescription", "reportstoname", "hirerehiredate", "locationdescription"),
    "spreadsheet": ("empid", "dateofhire", "dateoftermination", "termreason", "managername"),
}  # fmt: skip

# ADP Workforce Now writes US dates (MM/DD/YYYY, REFERENCE.md §1); the other tools' numeric
# dates follow the user's settings, so their order must come from the user.
TOOL_DATE_ORDER = {"adp": "mdy"}
TOOL_DATE_SOURCE = {"adp": "ADP Workforce Now writes US dates"}

# Separation text → type. Workday paths (`Terminate Employee > Voluntary > Resignation`) are
# read part by part; in each part the first matching pattern decides. Involuntary patterns
# come first ("involuntary" contains "voluntary"). Documented in docs/IMPORT.md.
_INVOLUNTARY = (
    r"\binvoluntar", r"for cause", r"dismiss", r"\bfired\b", r"lay\s*-?\s*off", r"laid off",
    r"redundan", r"reduction in force", r"\brif\b", r"eliminat", r"restructur", r"let go",
    r"performance", r"misconduct", r"mutual", r"end of contract", r"contract end", r"death",
    r"deceased", r"statutory", r"by employer", r"terminated by",
)  # fmt: skip
_VOLUNTARY = (
    r"\bvoluntar", r"resign", r"\bquit", r"retire", r"better opportunit", r"another (position|job|company)",
    r"new job", r"career", r"relocat", r"personal", r"return(ed)? to school", r"education", r"family",
    r"abandon", r"\bmoved?\b", r"more money", r"compensation", r"left the company",
)  # fmt: skip
_REGRET_YES = {"yes", "y", "true", "t", "1", "regrettable", "regretted", "regret", "regrettabletermination"}
_REGRET_NO = {
    "no", "n", "false", "f", "0", "nonregrettable", "notregrettable", "nonregretted", "notregretted",
    "unregrettable", "unregretted", "nonregrettabletermination",
}  # fmt: skip
_SOURCING = {"onshore": "onshore", "nearshore": "nearshore", "offshore": "offshore"}
_INACTIVE = {"inactive", "terminated", "former", "leaver", "left", "garden leave"}


def termination_rules(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The user's own separation rules (setting `termination_rules`), keys loose."""
    row = con.execute("select value from settings where key = ?", [RULES_SETTING]).fetchone()
    rules = json.loads(row[0]) if row and row[0] else {}
    return {loose(k): v for k, v in rules.items()}


def save_termination_rules(con: duckdb.DuckDBPyConnection, rules: dict[str, str]) -> None:
    """Save the user's separation rules; each value must be voluntary or involuntary."""
    bad = {k: v for k, v in rules.items() if v not in (VOLUNTARY, INVOLUNTARY)}
    if bad:
        key, value = next(iter(bad.items()))
        raise ValueError(f"separation rule {key!r} → {value!r}: use voluntary or involuntary")
    con.execute("delete from settings where key = ?", [RULES_SETTING])
    if rules:
        con.execute("insert into settings values (?, ?)", [RULES_SETTING, json.dumps(rules, sort_keys=True)])


def separation_type(texts: list[str], user_rules: dict[str, str]) -> str | None:
    """voluntary / involuntary from the type, reason and status cells (in that order), or None.

    A user rule matches a whole cell or one `>` part of it, loosely; then the default
    patterns. The first cell that decides wins."""
    for text in texts:
        parts = [p.strip() for p in text.split(">")] if text else []
        for candidate in [text, *parts]:
            if candidate and loose(candidate) in user_rules:
                return user_rules[loose(candidate)]
        for part in parts or []:
            lowered = part.lower()
            if any(re.search(p, lowered) for p in _INVOLUNTARY):
                return INVOLUNTARY
            if any(re.search(p, lowered) for p in _VOLUNTARY):
                return VOLUNTARY
    return None


def involuntary_flag(text: str) -> str | None:
    """Workday's `termination_involuntary` boolean: true → involuntary, false → voluntary."""
    key = loose(text)
    if key in ("true", "yes", "y", "1", "t"):
        return INVOLUNTARY
    if key in ("false", "no", "n", "0", "f"):
        return VOLUNTARY
    return None


def regretted(text: str) -> bool | None:
    """`Regrettable` / yes / true → True; `Non-Regrettable` / no / false → False; else None."""
    key = loose(text)
    if key in _REGRET_YES:
        return True
    if key in _REGRET_NO:
        return False
    return None


def sourcing(text: str) -> str:
    """`Near-shore` → nearshore; anything else is passed on for validation to name."""
    return _SOURCING.get(loose(text), text.strip())


def says_gone(status: str, active: str, terminated: str) -> bool:
    """The status columns say the person has left (Inactive, Terminated, active=false, …)."""
    state = status.strip().lower()
    return (
        state in _INACTIVE
        or "terminat" in state
        or loose(active) in ("false", "no", "n", "0")
        or loose(terminated) in ("true", "yes", "y", "1")
    )


def team_name(text: str, header_key: str) -> str:
    """A Workday supervisory organisation is often named after its manager:
    `Payments (Jane Smith)` keeps `Payments`, so no name is stored."""
    value = text.strip()
    if header_key.startswith("supervisory"):
        value = re.sub(r"\s*\([^)]*\)\s*$", "", value).strip()
    return value
