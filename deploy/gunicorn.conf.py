"""gunicorn settings for one Tremplin app process (copy to /etc/tremplin/gunicorn.conf.py).

    gunicorn --config /etc/tremplin/gunicorn.conf.py sandbox.wsgi:app

Each gunicorn runs ONE worker process with many threads: Flask-SocketIO's threading mode keeps a
thread per open WebSocket, and a browser falling back to long polling must reach the same process
every time, which a single gunicorn cannot promise across several workers. A school runs several
of these (one per core, one port each: the tremplin@PORT systemd unit) behind nginx, which spreads
the pages over all of them and pins each browser's /socket.io/ to one (deploy/nginx/tremplin.conf).
Their live events meet in Redis (SOCKETIO_MESSAGE_QUEUE).

Overridable from the environment, so that one file serves every process:
  TREMPLIN_BIND     address:port to listen on (default 127.0.0.1:5001; keep it on loopback,
                    nginx is the one facing the network)
  TREMPLIN_THREADS  threads of the process (default 200): open WebSockets plus requests in flight
"""

import os

bind = os.environ.get("TREMPLIN_BIND", "127.0.0.1:5001")
worker_class = "gthread"
workers = 1
threads = int(os.environ.get("TREMPLIN_THREADS", "200"))
# A request slower than this is killed and logged (the heartbeat runs beside the open sockets).
timeout = 60
graceful_timeout = 20
# Longer than nginx keeps an idle upstream connection (keepalive_timeout 60s in the site file):
# otherwise gunicorn may close one just as nginx sends a request on it, and that request fails.
keepalive = 75
# Logs to standard error: systemd's journal keeps them (journalctl -u 'tremplin@*').
accesslog = "-"
errorlog = "-"
# nginx is the client gunicorn sees: the pupil's address is in X-Forwarded-For.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms'
proc_name = "tremplin"
# No control socket (gunicorn 24+): the processes of one data folder would share its one path
# and take it from each other; systemctl reload/restart is how they are driven.
control_socket_disable = True
# nginx in front on the same machine: trust its X-Forwarded-* headers (and set
# SANDBOX_PROXY_COUNT=1 so that the app does too).
forwarded_allow_ips = "127.0.0.1"
