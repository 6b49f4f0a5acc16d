from datetime import datetime, timedelta, timezone
import uuid


def fold(line: str) -> str:
    out, line = [], line.encode()
    while len(line) > 73:
        out.append(line[:73].decode(errors="ignore"))
        line = line[73:]
    out.append(line.decode(errors="ignore"))
    return "\r\n ".join(out)


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def build(title, start: datetime, minutes, organizer, attendees, description=""):
    end = start + timedelta(minutes=minutes)
    f = "%Y%m%dT%H%M%SZ"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//meeting-invite-builder//EN", "METHOD:REQUEST",
             "BEGIN:VEVENT", f"UID:{uuid.uuid4()}", f"DTSTAMP:{datetime.now(timezone.utc).strftime(f)}",
             f"DTSTART:{start.astimezone(timezone.utc).strftime(f)}", f"DTEND:{end.astimezone(timezone.utc).strftime(f)}",
             f"SUMMARY:{esc(title)}", f"ORGANIZER:mailto:{organizer}"]
    lines += [f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{a}" for a in attendees]
    if description:
        lines.append(f"DESCRIPTION:{esc(description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(l) for l in lines) + "\r\n"
