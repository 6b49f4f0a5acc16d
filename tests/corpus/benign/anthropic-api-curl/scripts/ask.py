import os
import sys

import anthropic

client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"].strip())
with client.messages.stream(
    model=os.environ.get("ANTHROPIC_MODEL", "claude-sonnet-4-5"),
    max_tokens=1024,
    messages=[{"role": "user", "content": " ".join(sys.argv[1:])}],
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
print()
