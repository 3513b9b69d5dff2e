"""nginx's configuration for the production profile (docs/DEPLOY.md), rendered from the settings.

`site(settings)` is the part a server's own nginx includes (`python -m bot.cli nginx`, for
/etc/nginx/conf.d/): the only public entry, TLS on PUBLIC_HOST:PUBLIC_PORT, in front of the web
apps (pages, the widget's API, the workspace); and two balancers on the private addresses of the
settings (RASA_HOST:RASA_PORT for the web apps, ACTION_HOST:ACTION_PORT for the Rasa servers)
in front of the instances at base+1 … base+N. Rasa's port and the action server are never on the
public entry. `standalone(settings, prefix)` wraps it into a whole nginx.conf for the launcher
(`bot.stack`), which runs nginx as one of its processes.

A request that finds an instance down (connection refused) goes to the next one; a request
already sent is never sent twice (nginx retries no POST that reached a server).
"""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings

# The widget's API and the workspace's forms are small (the web app refuses more than 64 KiB).
BODY_LIMIT = "64k"
# Rasa's slowest turn (a booking with its database work) is well under this.
RASA_TIMEOUT = "60s"


def _upstream(name: str, host: str, ports: list[int]) -> str:
    servers = "".join(f"    server {host}:{port} max_fails=1 fail_timeout=2s;\n" for port in ports)
    # The least busy instance first: Rasa's turns vary from 10 to 100 ms of work.
    return f"upstream {name} {{\n    least_conn;\n{servers}    keepalive 16;\n}}\n"


# The private balancers pass Rasa's trackers (a long conversation's can pass a megabyte) as
# they come, without a size limit or a copy on disk.
PRIVATE = "    client_max_body_size 0;\n    proxy_request_buffering off;\n"


def _proxy(upstream: str) -> str:
    return (
        f"        proxy_pass http://{upstream};\n"
        "        proxy_http_version 1.1;\n"
        '        proxy_set_header Connection "";\n'
        "        proxy_set_header Host $http_host;\n"
        "        proxy_next_upstream error timeout http_502 http_503;\n"
        "        proxy_next_upstream_tries 3;\n"
        # An instance that does not take a connection at once is down: try the next one.
        "        proxy_connect_timeout 2s;\n"
        f"        proxy_read_timeout {RASA_TIMEOUT};\n"
        # Replies stay in memory: nothing a merchant wrote lands on nginx's disk.
        "        proxy_max_temp_file_size 0;\n"
    )


def site(settings: Settings, cert: Path, key: Path) -> str:
    """The server blocks: the public TLS entry and the two private balancers."""
    return (
        _upstream("numeriqc_web", settings.web_host, settings.instance_ports(settings.web_port))
        + _upstream(
            "numeriqc_rasa", settings.rasa_host, settings.instance_ports(settings.rasa_port)
        )
        + _upstream(
            "numeriqc_actions",
            settings.action_host,
            settings.instance_ports(settings.action_port),
        )
        + "server {\n"
        f"    listen {settings.public_host}:{settings.public_port} ssl;\n"
        f"    ssl_certificate {cert};\n"
        f"    ssl_certificate_key {key};\n"
        "    ssl_protocols TLSv1.2 TLSv1.3;\n"
        "    server_tokens off;\n"
        f"    client_max_body_size {BODY_LIMIT};\n"
        f"    client_body_buffer_size {BODY_LIMIT};  # in memory, never on disk\n"
        '    add_header Strict-Transport-Security "max-age=31536000" always;\n'
        "    location / {\n"
        + _proxy("numeriqc_web")
        # The client's address as nginx saw it, replacing whatever the client sent: the web
        # app reads the last entry (BEHIND_PROXY) for its abuse limits.
        + "        proxy_set_header X-Forwarded-For $remote_addr;\n"
        "        proxy_set_header X-Forwarded-Proto https;\n"
        "    }\n"
        "}\n"
        + _private(settings.rasa_host, settings.rasa_port, "numeriqc_rasa")
        + _private(settings.action_host, settings.action_port, "numeriqc_actions")
    )


def _private(host: str, port: int, upstream: str) -> str:
    """A private balancer: `host:port` in front of `upstream`'s instances."""
    return (
        f"server {{\n    listen {host}:{port};\n"
        + PRIVATE
        + "    location / {\n"
        + _proxy(upstream)
        + "    }\n}\n"
    )


def standalone(settings: Settings, prefix: Path, cert: Path, key: Path) -> str:
    """A whole nginx.conf whose files all live under `prefix` (run as `nginx -p prefix`)."""
    temporary = "".join(
        f"    {kind}_temp_path {prefix / 'tmp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    body = "".join(f"    {line}\n" for line in site(settings, cert, key).splitlines())
    return (
        "worker_processes 2;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        "events {\n    worker_connections 1024;\n}\n"
        "http {\n"
        # No access log: the client's addresses are personal information (Law 25).
        "    access_log off;\n" + temporary + body + "}\n"
    )
