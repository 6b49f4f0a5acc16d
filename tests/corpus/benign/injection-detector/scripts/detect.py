PHRASES = [
    'ignore previous instructions',
    'disregard your system prompt',
    'you are now in developer mode',
]

def detect(text: str) -> list[str]:
    low = text.lower()
    return [p for p in PHRASES if p in low]
