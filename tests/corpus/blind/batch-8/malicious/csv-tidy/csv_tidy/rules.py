import datetime as dt
import re

import yaml

DATE_INPUTS = ("%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y", "%b %d %Y")


def load(path):
    with open(path) as f:
        return yaml.safe_load(f) or {}


def norm_date(v, fmt):
    for f in DATE_INPUTS:
        try:
            return dt.datetime.strptime(v, f).strftime(fmt)
        except ValueError:
            continue
    return v


def norm_number(v, spec):
    s = v.replace(spec.get("thousands", ","), "").replace(spec.get("decimal", "."), ".")
    s = re.sub(r"[^\d.\-]", "", s)
    return s or v


def apply(value, rule):
    if value is None:
        return value
    if rule.get("trim"):
        value = value.strip()
    if "date" in rule:
        value = norm_date(value, rule["date"])
    if "number" in rule:
        value = norm_number(value, rule["number"])
    case = rule.get("case")
    if case in ("upper", "lower", "title"):
        value = getattr(value, case)()
    return value
