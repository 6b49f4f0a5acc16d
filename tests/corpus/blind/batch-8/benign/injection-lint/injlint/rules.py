import re

INVISIBLE = re.compile("[\U000E0000-\U000E007F\u200b\u200c\u200d\u2060\u202a-\u202e\u2066-\u2069\ufeff]")

PHRASES = [
    ("OVERRIDE", re.compile(r"\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(previous|prior|above|earlier)\s+(instructions|rules|prompts?)", re.I)),
    ("OVERRIDE", re.compile(r"\bdisregard\s+the\s+system\s+prompt", re.I)),
    ("SECRECY", re.compile(r"\b(do\s+not|don't|never)\s+(tell|mention|inform|show)\b.{0,40}\buser\b", re.I)),
    ("FAKE-APPROVAL", re.compile(r"\buser\s+has\s+(already\s+)?(approved|authori[sz]ed|consented)", re.I)),
    ("ROLE", re.compile(r"^\s*(system|assistant)\s*:", re.I)),
]

IMPERATIVE = re.compile(r"\b(run|execute|curl|send|upload|copy|append|write)\b", re.I)
HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def decode_tags(s):
    """Show what Unicode tag characters spell out, for the report."""
    return "".join(chr(ord(c) - 0xE0000) for c in s if 0xE0000 <= ord(c) <= 0xE007F)
