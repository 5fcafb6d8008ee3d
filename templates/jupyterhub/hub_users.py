"""labbox's client of the hub's REST API, run by the stack step inside the hub container (issue 9 item 4).

    python3 hub_users.py list            one JSON line per user the hub knows:
                                         {"name": ..., "server": true|false, "last_activity": ISO time|null}
    python3 hub_users.py remove NAME...  for each: stops the user's server, then deletes the user from the hub,
                                         which ends their sessions and revokes their tokens (the home folder is
                                         a bind mount of the server's: the hub never deletes it)
    python3 hub_users.py accounts        lab accounts (auth.type local), one JSON line each:
                                         {"name": ..., "authorized": true|false}
    python3 hub_users.py approve NAME... approves each signed-up account (exit 4 for a name with none)
    python3 hub_users.py create NAME     makes NAME's approved account with the password read from stdin (never
                                         from the command line, so it is in no process list and no log)
    python3 hub_users.py remove-account NAME...
                                         for each: removes the lab account (no more logins), then the user as
                                         `remove` does; exit 5 when the hub runs a configuration without removal

It calls the hub on loopback as the `labbox` service, with the token jupyterhub_config.py keeps in the hub's
data folder: the token never leaves the server and is never printed. Written by labbox: change lab.yaml and
run labbox again rather than editing this file.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

API = os.environ.get('LABBOX_HUB_API', 'http://127.0.0.1:8081/hub/api')
TOKEN_FILE = os.environ.get('LABBOX_API_TOKEN_FILE', '/srv/jupyterhub/data/labbox-api-token')
# How long a notebook server may take to stop (DockerSpawner: docker stop, then the container is removed).
STOP_SECONDS = 120


class HubError(Exception):
    """A request the hub refused or did not answer: the message names the request."""


# The lab accounts' door in the hub (jupyterhub_config.py, auth.type local): /hub/labbox/accounts beside /hub/api.
ACCOUNTS = API.rsplit('/api', 1)[0] + '/labbox/accounts'


class NoAccount(Exception):
    """A name with no lab account (it has not signed up)."""


def call(token, method, path, body=None, base=None):
    """One request; returns (status, JSON body or None). Every request is bounded in time."""
    headers = {'Authorization': f'token {token}', 'Accept': 'application/jupyterhub-pagination+json'}
    data = None
    if body is not None:
        data = json.dumps(body).encode('utf-8')
        headers['Content-Type'] = 'application/json'
    request = urllib.request.Request((base or API) + path, data=data, method=method, headers=headers)
    shown = path if base is None else base[len(API.rsplit('/api', 1)[0]) :] + path
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            return response.status, json.loads(body) if body.strip() else None
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return 404, None
        text = error.read().decode('utf-8', 'replace')
        try:
            text = json.loads(text).get('message', text)
        except (ValueError, AttributeError):
            pass
        raise HubError(f'{method} {shown}: HTTP {error.code} {text}'.strip()) from None
    except OSError as error:
        raise HubError(f'{method} {shown}: {error}') from None


def users(token):
    """Every user of the hub, page by page."""
    offset = 0
    while True:
        _, page = call(token, 'GET', f'/users?offset={offset}&limit=200')
        for user in page['items']:
            # last_activity: shown by `labbox users` (issue 13 item 1); needs the read:users:activity scope.
            yield {'name': user['name'], 'server': bool(user.get('servers')), 'last_activity': user.get('last_activity')}
        following = page['_pagination'].get('next')
        if not following:
            return
        offset = following['offset']


def remove(token, name):
    """Stops the user's server (waiting until it has stopped), then deletes the user."""
    path = '/users/' + urllib.parse.quote(name, safe='')
    _, user = call(token, 'GET', path)
    if user is None:
        print(f'{name} is not in the hub (already removed)')
        return
    if user.get('servers'):
        call(token, 'DELETE', path + '/server')
        deadline = time.monotonic() + STOP_SECONDS
        while (call(token, 'GET', path)[1] or {}).get('servers'):
            if time.monotonic() > deadline:
                raise HubError(f"{name}'s server did not stop within {STOP_SECONDS} s")
            time.sleep(1)
        print(f"stopped {name}'s server")
    call(token, 'DELETE', path)
    print(f'removed {name} from the hub: sessions ended, tokens revoked')


def accounts(token):
    """Every lab account, and whether it is approved."""
    _, listed = call(token, 'GET', '', base=ACCOUNTS)
    for account in listed or []:
        yield {'name': account['name'], 'authorized': bool(account['authorized'])}


def approve(token, name):
    """Approves a signed-up account; an approved one stays so."""
    status, answer = call(token, 'POST', '/' + urllib.parse.quote(name, safe='') + '/approve', body={}, base=ACCOUNTS)
    if status == 404:
        raise NoAccount(name)
    print(f"{answer['name']} {'was already approved' if answer['already'] else 'is approved: they can log in now'}")


def create(token, name, password):
    """Makes NAME's account, approved, with this password (it goes to the hub in the request body only)."""
    call(token, 'POST', '/' + urllib.parse.quote(name, safe='') + '/create', body={'password': password}, base=ACCOUNTS)
    print(f'made the lab account {name}, approved')


class OlderHub(Exception):
    """The hub runs a configuration from before this request existed (`labbox run stack` updates it)."""


def remove_account(token, name):
    """The account first, so its owner cannot log in again meanwhile; then the hub's user (server, sessions, tokens)."""
    status, answer = call(token, 'POST', '/' + urllib.parse.quote(name, safe='') + '/remove', body={}, base=ACCOUNTS)
    if status == 404:
        raise OlderHub(name)
    print(f"removed {name}'s lab account: they can no longer log in" if answer['had'] else f'{name} had no lab account (already removed)')
    remove(token, name)


def main(argv):
    commands = ('list', 'remove', 'accounts', 'approve', 'create', 'remove-account')
    if len(argv) < 2 or argv[1] not in commands or (argv[1] == 'create' and len(argv) != 3):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(TOKEN_FILE, encoding='utf-8') as file:
            token = file.read().strip()
    except FileNotFoundError:
        print(f'labbox: {TOKEN_FILE} does not exist yet: the hub makes it when it starts with labbox\'s configuration', file=sys.stderr)
        return 3
    try:
        if argv[1] == 'list':
            for user in users(token):
                print(json.dumps(user))
        elif argv[1] == 'accounts':
            for account in accounts(token):
                print(json.dumps(account))
        elif argv[1] == 'approve':
            for name in argv[2:]:
                approve(token, name)
        elif argv[1] == 'create':
            create(token, argv[2], sys.stdin.readline().rstrip('\n'))
        elif argv[1] == 'remove-account':
            for name in argv[2:]:
                remove_account(token, name)
        else:
            for name in argv[2:]:
                remove(token, name)
    except OlderHub:
        print('labbox: the hub runs a configuration that cannot remove lab accounts yet: run labbox run stack first', file=sys.stderr)
        return 5
    except NoAccount as error:
        print(f'labbox: {error} has no lab account: they have not signed up', file=sys.stderr)
        return 4
    except HubError as error:
        print(f'labbox: the hub API: {error}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
