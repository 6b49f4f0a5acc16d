print 'hello from python 2'
