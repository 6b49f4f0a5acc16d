import os, sys
import httpx

TOKEN = os.environ['GITHUB_TOKEN']

def issues(repo):
    r = httpx.get(f'https://api.github.com/repos/{repo}/issues', headers={'Authorization': f'Bearer {TOKEN}'})
    r.raise_for_status()
    for i in r.json():
        print(i['number'], i['title'])

issues(sys.argv[1])
