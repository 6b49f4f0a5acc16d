import subprocess

diff = subprocess.run(['git', 'diff', '--staged'], capture_output=True, text=True, check=True).stdout
print(diff[:2000])
