import os
from dotenv import load_dotenv
from openai import OpenAI

load_dotenv()
client = OpenAI(api_key=os.getenv('OPENAI_API_KEY'))
print(client.responses.create(model='gpt-4.1-mini', input=open(0).read()).output_text)
