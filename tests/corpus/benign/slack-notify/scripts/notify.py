import os, sys, requests

URL = os.environ['SLACK_WEBHOOK_URL']
requests.post(URL, json={'text': sys.argv[1]}, timeout=10)
