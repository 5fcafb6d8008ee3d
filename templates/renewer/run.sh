#!/bin/sh
# Written by labbox (certificate step): renews the lab's certificate when it is due, in the renewer container,
# then reloads the lab's nginx if the certificate changed. Usage: run.sh LAB_ROOT IMAGE [--force]
# Run daily by labbox-renewer.timer, and once by `labbox run certificate`.
set -u
root="$1"
image="$2"
shift 2
# One renewal at a time (the timer and the wizard may meet): both would want port 80.
exec 9>/run/lock/labbox-renewer.lock
flock -w 600 9 || { echo 'another renewal is still running' >&2; exit 1; }
# A renewer whose labbox was killed mid-order runs on, holding port 80: wait for it to end (issue 9 item 5).
earlier=$(docker ps --quiet --filter label=labbox.role=renewer)
if [ -n "$earlier" ]; then
	echo "waiting for an earlier renewal to end (container $earlier)"
	timeout 300 docker wait $earlier >/dev/null 2>&1
fi
mkdir -p "$root/acme-webroot"
before=$(sha256sum "$root/certs/fullchain.pem" 2>/dev/null)
# Host network: the container answers HTTP-01 on the server's own port 80 when nothing else holds it.
# In the background, so that a stop (Ctrl-C in labbox: TERM) reaches it: docker passes the signal to the container.
docker run --rm --label labbox.role=renewer --network host --entrypoint node \
	-v "$root/certs:/certs" -v "$root/acme-webroot:/webroot" -v "$root/renewer:/renewer:ro" \
	"$image" /renewer/renew.mjs /renewer/config.json "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' INT TERM HUP
wait "$child"
code=$?
# A trapped signal ends `wait` early: wait again until the container (and the docker client) has ended.
while kill -0 "$child" 2>/dev/null; do
	wait "$child"
	code=$?
done
after=$(sha256sum "$root/certs/fullchain.pem" 2>/dev/null)
if [ "$code" -eq 0 ] && [ "$before" != "$after" ] && [ -f "$root/compose.yaml" ]; then
	if docker compose -f "$root/compose.yaml" ps --status running --services 2>/dev/null | grep -qx nginx; then
		docker compose -f "$root/compose.yaml" exec -T nginx nginx -s reload && echo 'nginx reloaded with the new certificate'
	fi
fi
exit "$code"
