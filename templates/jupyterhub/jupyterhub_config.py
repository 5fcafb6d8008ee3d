"""JupyterHub configuration of a labbox lab.

Written by labbox: change lab.yaml and run labbox again rather than editing this file. It holds no value from
lab.yaml: every setting comes from settings.json (LABBOX_SETTINGS) and every secret from LABBOX_SECRETS
(base64 of a JSON object, from .env), so no user value can ever become code here.
"""

import base64
import json
import os
import re
import ssl
import sys
import time
import urllib.request

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)

with open(os.environ.get('LABBOX_SETTINGS', '/etc/labbox/settings.json'), encoding='utf-8') as file:
    settings = json.load(file)
secrets = json.loads(base64.b64decode(os.environ.get('LABBOX_SECRETS', 'e30=')).decode('utf-8'))
auth = settings['auth']

# The hub: nginx proxies to the hub's proxy on 8000; notebook servers reach the hub API as `hub`.
c.JupyterHub.bind_url = 'http://0.0.0.0:8000'
c.JupyterHub.hub_bind_url = 'http://0.0.0.0:8081'
c.JupyterHub.hub_connect_url = 'http://hub:8081'
c.JupyterHub.db_url = 'sqlite:////srv/jupyterhub/data/jupyterhub.sqlite'
c.JupyterHub.cookie_secret_file = '/srv/jupyterhub/data/jupyterhub_cookie_secret'
# Login cookies are Secure because nginx passes the scheme (X-Scheme); the _xsrf cookie takes its flags from here
# only. The lab is served over https only (issue 9 item 17).
c.JupyterHub.tornado_settings = {'xsrf_cookie_kwargs': {'secure': True}}
# A hub restart (a changed setting) must not stop the researchers' running notebooks.
c.JupyterHub.cleanup_servers = False

# Notebook servers: one container per user, on the lab's notebook network, removed when stopped (the home stays).
c.JupyterHub.spawner_class = 'dockerspawner.DockerSpawner'
c.DockerSpawner.image = settings['images']['singleuser']
c.DockerSpawner.network_name = 'labbox-notebooks'
c.DockerSpawner.use_internal_ip = True
c.DockerSpawner.remove = True
c.DockerSpawner.notebook_dir = '/home/jovyan'
c.DockerSpawner.mem_limit = settings['limits']['memory']
c.DockerSpawner.cpu_limit = float(settings['limits']['cpu'])
# A fork bomb in one notebook stops at its own limit instead of taking the server (issue 9 item 13).
c.DockerSpawner.extra_host_config = {'pids_limit': int(settings['limits']['pids'])}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120

# images.choices (issue 14 item 2): each user picks an environment on the spawn page (DockerSpawner's form, by
# name); the first is the default. A running notebook keeps its image until it is restarted.
ENVIRONMENTS = {choice['name']: choice for choice in settings['images'].get('choices') or []}
if len(ENVIRONMENTS) > 1:
    c.DockerSpawner.allowed_images = {name: choice['image'] for name, choice in ENVIRONMENTS.items()}


def environment_limits(spawner):
    """The chosen environment's own memory and CPU limits, where it has them, else limits.* (set each time: the
    hub keeps one spawner per user across starts)."""
    choice = ENVIRONMENTS.get(spawner.user_options.get('image')) or next(iter(ENVIRONMENTS.values()), {})
    spawner.mem_limit = choice.get('memory') or settings['limits']['memory']
    spawner.cpu_limit = float(choice.get('cpu') or settings['limits']['cpu'])

ROOT = settings['root']
HOMES = os.path.join(ROOT, 'homes')
# A user name becomes a folder name: nothing that could climb out of homes/ or surprise a shell.
SAFE_NAME = re.compile(r'[a-z0-9][a-z0-9._@+-]{0,127}')
JOVYAN = (1000, 100)


def make_folder(path):
    """Creates a folder owned by jovyan (1000:100), mode 0700, unless it exists (never recursive)."""
    if not os.path.isdir(path):
        os.mkdir(path, 0o700)
        os.chown(path, *JOVYAN)
        os.chmod(path, 0o700)


def pre_spawn_hook(spawner):
    """Creates the user's home before Docker would (as root: dockerspawner#160) and mounts the lab folders."""
    name = spawner.user.name
    if not SAFE_NAME.fullmatch(name):
        raise ValueError(f'the user name {name!r} cannot be a home folder name; ask an admin to rename the user')
    home = os.path.join(HOMES, name)
    make_folder(home)
    # Mount points inside the home, made here so that Docker does not make them root-owned.
    for mount_point in ('shared', 'datasets'):
        make_folder(os.path.join(home, mount_point))
    spawner.volumes = {
        home: '/home/jovyan',
        os.path.join(ROOT, 'shared'): '/home/jovyan/shared',
        os.path.join(ROOT, 'datasets'): {'bind': '/home/jovyan/datasets', 'mode': 'ro'},
    }
    environment_limits(spawner)


c.Spawner.pre_spawn_hook = pre_spawn_hook


def labbox_token(path):
    """The labbox service's API token: made once, like the cookie secret beside it (0600); it never leaves the server."""
    if os.path.exists(path):
        with open(path, encoding='utf-8') as file:
            token = file.read().strip()
        if token:
            return token
    token = os.urandom(32).hex()
    fd = os.open(path + '.new', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8') as file:
        file.write(token)
    os.replace(path + '.new', path)
    return token


# labbox's own client of the hub's API (hub_users.py, run by the stack step): when a user leaves lab.yaml's
# allow list it stops their server and deletes them from the hub, ending their sessions and tokens (issue 9
# item 4). Only the scopes that takes: list users and their servers, stop servers, delete users; and their last
# activity for `labbox users` (issue 13 item 1).
services = [{'name': 'labbox', 'api_token': labbox_token(os.environ.get('LABBOX_API_TOKEN_FILE', '/srv/jupyterhub/data/labbox-api-token'))}]
roles = [{'name': 'labbox', 'scopes': ['list:users', 'read:users:activity', 'read:servers', 'delete:servers', 'delete:users'], 'services': ['labbox']}]

# The idle culler stops notebook servers nobody used for `timeout` seconds.
timeout = int(settings['culler']['timeout'])
if timeout > 0:
    services.append({'name': 'idle-culler', 'command': [sys.executable, '-m', 'jupyterhub_idle_culler', f'--timeout={timeout}']})
    roles.append({'name': 'idle-culler', 'scopes': ['list:users', 'read:users:activity', 'read:servers', 'delete:servers'], 'services': ['idle-culler']})
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles

# Login: who may log in is always an explicit rule (users, groups, the admin's approval for lab accounts, or,
# for OIDC only, allow_all).
c.OAuthenticator.client_id = auth['clientId']
c.OAuthenticator.client_secret = secrets.get('clientSecret', '')
c.OAuthenticator.oauth_callback_url = f"https://{settings['domain']}/hub/oauth_callback"
c.Authenticator.allowed_users = set(auth['allowedUsers'])
# lab.yaml's rules alone decide: JupyterHub's default (True once allowed_users is set) would let back in anyone
# still in the hub's database (issue 9 item 4).
c.Authenticator.allow_existing_users = False
c.Authenticator.admin_users = set(auth['admins'])
if auth.get('caFile'):
    c.OAuthenticator.http_request_kwargs = {'ca_certs': auth['caFile']}


def discover(issuer, ca_file):
    """The provider's OpenID configuration; it may start after the hub, so a bounded wait (about a minute)."""
    url = issuer.rstrip('/') + '/.well-known/openid-configuration'
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(ca_file)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5, context=context) as response:
                return json.load(response)
        except (OSError, ValueError) as error:
            if time.monotonic() > deadline:
                raise SystemExit(f'labbox: cannot read the OpenID configuration at {url}: {error}')
            print(f'labbox: {url} not readable yet ({error})', file=sys.stderr)
            time.sleep(2)


ADMIN_PASSWORD_RECORD = '/srv/jupyterhub/data/labbox-admin-password'


def keep_admin_account(db, name, password, record=ADMIN_PASSWORD_RECORD):
    """The admin's lab account, made and approved before anyone can sign up under the admin's name (issue 14).

    secrets.env's password is set when the account is made, and again only when secrets.env holds a new one (the
    owner's reset): a password the admin chose in the hub (/hub/change-password) survives hub restarts (issue 14
    item 3). `record` keeps the bcrypt hash of the password last applied (0600, beside the database), so the
    secret itself is never written down here either."""
    import bcrypt
    from nativeauthenticator.orm import UserInfo

    applied = None
    if os.path.exists(record):
        with open(record, 'rb') as file:
            applied = file.read().strip() or None
    secret_is_new = applied is None or not bcrypt.checkpw(password.encode(), applied)
    account = UserInfo.find(db, name)
    if account is None:
        db.add(UserInfo(username=name, password=bcrypt.hashpw(password.encode(), bcrypt.gensalt()), is_authorized=True))
    else:
        # No record yet (a lab made by an older labbox): the account keeps its password, the record starts now.
        if applied is not None and secret_is_new:
            account.password = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
        account.is_authorized = True
    db.commit()
    if secret_is_new:
        fd = os.open(record + '.new', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'wb') as file:
            file.write(bcrypt.hashpw(password.encode(), bcrypt.gensalt()))
        os.replace(record + '.new', record)


# labbox's door to the lab accounts (issue 14 items 1 and 2): `labbox users` lists who waits for approval,
# `labbox users approve` approves, `labbox users add` makes an approved account, `labbox users remove` removes one,
# through hub_users.py as the labbox
# service. Inside the hub, so every change goes through the hub's own database session (a second writer of the
# database would leave the hub with stale rows); only a token with this custom scope may use it.
ACCOUNTS_SCOPE = 'custom:labbox:accounts'


def account_handlers():
    """The handlers at /hub/labbox/accounts (imported when the hub starts: they need JupyterHub itself)."""
    import bcrypt
    from jupyterhub.apihandlers.base import APIHandler
    from nativeauthenticator.orm import UserInfo
    from tornado import web

    class AccountsBase(APIHandler):
        def prepare_account(self):
            if ACCOUNTS_SCOPE not in self.parsed_scopes:
                raise web.HTTPError(403, f'this needs the {ACCOUNTS_SCOPE} scope (the labbox service has it)')

    class AccountsHandler(AccountsBase):
        """GET: every lab account, `[{"name": ..., "authorized": true|false}]`."""

        def get(self):
            self.prepare_account()
            accounts = [{'name': info.username, 'authorized': bool(info.is_authorized)} for info in UserInfo.all_users(self.db)]
            self.write(json.dumps(accounts))

    class AccountHandler(AccountsBase):
        """POST .../NAME/approve: approve a signed-up account. POST .../NAME/create {"password"}: a new, approved one.
        POST .../NAME/remove: the account goes (`labbox users remove`); `had` says whether there was one."""

        def post(self, name, action):
            self.prepare_account()
            name = self.authenticator.normalize_username(name)
            account = UserInfo.find(self.db, name)
            if action == 'remove':
                # Only the account: the hub's user (server, sessions, tokens) is removed through the REST API, and
                # the home folder, a bind mount of the server's, is never touched here.
                if account is not None:
                    self.db.delete(account)
                    self.db.commit()
                self.write(json.dumps({'name': name, 'had': account is not None}))
                return
            if action == 'approve':
                if account is None:
                    raise web.HTTPError(404, f'{name} has not signed up')
                already = bool(account.is_authorized)
                account.is_authorized = True
                self.db.commit()
                self.write(json.dumps({'name': name, 'already': already}))
                return
            if account is not None:
                raise web.HTTPError(409, f'{name} already has an account')
            password = (self.get_json_body() or {}).get('password') or ''
            if not self.authenticator.validate_username(name) or not self.authenticator.is_password_strong(password):
                raise web.HTTPError(400, f'{name}: the name or the password is not accepted')
            self.db.add(UserInfo(username=name, password=bcrypt.hashpw(password.encode(), bcrypt.gensalt()), is_authorized=True))
            self.db.commit()
            self.set_status(201)
            self.write(json.dumps({'name': name}))

    return [(r'/labbox/accounts', AccountsHandler), (r'/labbox/accounts/([^/]+)/(approve|create|remove)', AccountHandler)]


if auth['type'] == 'local':
    from nativeauthenticator import NativeAuthenticator

    class LabAuthenticator(NativeAuthenticator):
        """NativeAuthenticator (people sign up, an admin approves them in /hub/authorize) with the admin's account
        kept by labbox, and labbox's door to the accounts."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            keep_admin_account(self.db, self.normalize_username(auth['admins'][0]), secrets['adminPassword'])

        def get_handlers(self, app):
            return super().get_handlers(app) + account_handlers()

    c.JupyterHub.authenticator_class = LabAuthenticator
    c.JupyterHub.custom_scopes = {ACCOUNTS_SCOPE: {'description': "List, approve, make and remove the lab's accounts (labbox)"}}
    roles[0]['scopes'].append(ACCOUNTS_SCOPE)
    # NativeAuthenticator approves at sign-up whoever is in allowed_users: with lab accounts, a name there would let
    # the first stranger to sign up under it in. Only the admin's approval (or labbox users add) lets anyone in.
    c.Authenticator.allowed_users = set()
    # NativeAuthenticator refuses whoever the admin has not approved: that is the allow rule here.
    c.Authenticator.allow_all = True
    c.NativeAuthenticator.enable_signup = bool(auth['signup'])
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.minimum_password_length = int(auth['passwordMinLength'])
    c.NativeAuthenticator.check_common_password = True
    # After 5 wrong passwords in a row, that account is refused for 10 minutes, even with the right one.
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 600
elif auth['type'] == 'github':
    c.JupyterHub.authenticator_class = 'oauthenticator.github.GitHubOAuthenticator'
    if auth.get('githubUrl'):
        # GitHub Enterprise Server: the web flow at this URL, the API at URL/api/v3.
        c.GitHubOAuthenticator.github_url = auth['githubUrl'].rstrip('/')
    if auth['allowedGroups']:
        c.GitHubOAuthenticator.allowed_organizations = set(auth['allowedGroups'])
        c.GitHubOAuthenticator.scope = ['read:org']
elif auth['type'] == 'gitlab':
    c.JupyterHub.authenticator_class = 'oauthenticator.gitlab.GitLabOAuthenticator'
    c.GitLabOAuthenticator.gitlab_url = auth['gitlabUrl']
    # Without a scope GitLab grants its default, `api` (read and write everything), or refuses an application
    # registered with less: ask for read_user, and read_api for the group members API (issue 15).
    c.GitLabOAuthenticator.scope = ['read_user']
    if auth['allowedGroups']:
        c.GitLabOAuthenticator.allowed_gitlab_groups = set(auth['allowedGroups'])
        c.GitLabOAuthenticator.scope = ['read_user', 'read_api']
elif auth['type'] == 'oidc':
    c.JupyterHub.authenticator_class = 'oauthenticator.generic.GenericOAuthenticator'
    provider = discover(auth['issuer'], auth.get('caFile'))
    c.GenericOAuthenticator.login_service = 'OpenID Connect'
    c.GenericOAuthenticator.authorize_url = provider['authorization_endpoint']
    c.GenericOAuthenticator.token_url = provider['token_endpoint']
    c.GenericOAuthenticator.userdata_url = provider['userinfo_endpoint']
    c.GenericOAuthenticator.scope = ['openid', 'profile', 'email']
    c.GenericOAuthenticator.username_claim = auth['usernameClaim']
    # As the client is registered at the provider: the secret in a basic auth header, or in the form body.
    c.GenericOAuthenticator.basic_auth = auth['clientAuth'] == 'basic'
    if auth['allowedGroups']:
        c.GenericOAuthenticator.manage_groups = True
        c.GenericOAuthenticator.auth_state_groups_key = 'oauth_user.' + auth['groupsClaim']
        c.GenericOAuthenticator.allowed_groups = set(auth['allowedGroups'])
    c.GenericOAuthenticator.allow_all = bool(auth['allowAll'])
else:
    raise SystemExit(f"labbox: unknown login type {auth['type']!r}")
