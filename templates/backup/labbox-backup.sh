#!/bin/sh
# Written by labbox (backup step, issue 12): the lab's backups with restic, run by labbox-backup.timer without
# the laptop, and by `labbox backup` / `backups` / `restore`. Its settings (repository, password file, what to
# keep) are in backup.env beside it (0600, root); the password itself only in the password file (0600).
#   labbox-backup.sh backup [--progress]   one backup, then the retention (forget --prune); writes status.json
#   labbox-backup.sh restic ARGS...        restic with the lab's repository and password (snapshots, restore)
set -u
here=$(dirname "$0")
set -a
. "$here/backup.env"
set +a
export RESTIC_CACHE_DIR="${RESTIC_CACHE_DIR:-/var/cache/labbox-backup}"

# sftp: labbox's own key and known_hosts, never a question (BatchMode) and a bounded wait (ConnectTimeout).
run_restic() {
	if [ -n "${LABBOX_SFTP_COMMAND:-}" ]; then
		restic -o "sftp.command=$LABBOX_SFTP_COMMAND" "$@"
	else
		restic "$@"
	fi
}

if [ "${1:-}" = restic ]; then
	shift
	run_restic "$@"
	exit $?
fi
if [ "${1:-}" != backup ]; then
	echo "usage: $0 backup [--progress] | restic ARGS..." >&2
	exit 2
fi
progress=${2:-}
# A new server for a lab whose repository holds an earlier server's snapshots: a backup of the empty lab now
# would become the newest snapshot, the one `labbox restore` takes. Wait for the restore (or `labbox backup`).
if [ -f "$here/waiting-for-restore" ]; then
	echo "labbox-backup: waiting for labbox restore: the repository holds this lab's snapshots from an earlier server ($(cat "$here/waiting-for-restore")); run labbox restore, or labbox backup to start afresh" >&2
	exit 75
fi

status="$here/status.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
# One line, without quotes or backslashes: it goes into JSON as it is.
clean() { tr -d '"\\\000-\037' | cut -c1-300; }
write_status() {
	printf '%s\n' "$1" >"$status.tmp" && chmod 0644 "$status.tmp" && mv -f "$status.tmp" "$status"
}
started=$(now)
start_s=$(date +%s)
fail() {
	echo "labbox-backup: $1" >&2
	write_status "{\"result\":\"failed\",\"start\":\"$started\",\"end\":\"$(now)\",\"duration\":$(($(date +%s) - start_s)),\"error\":\"$(printf '%s' "$1" | clean)\"}"
	exit 1
}
last_error() { grep -v '^\s*$' "$1" | grep -v '"message_type":"status"' | tail -n 1 | clean; }

# One backup at a time: the timer and `labbox backup` may meet.
exec 9>/run/lock/labbox-backup.lock
flock -n 9 || { echo 'labbox-backup: another backup of this lab is running; try again when it has ended' >&2; exit 75; }
write_status "{\"result\":\"running\",\"start\":\"$started\"}"

# The repository, made on first use. Exit 10 (restic 0.17+) or its words (older): there is none yet.
run_restic cat config >/dev/null 2>"$work/config.err"
code=$?
if [ "$code" -ne 0 ]; then
	if [ "$code" -eq 10 ] || grep -q 'Is there a repository at the following location' "$work/config.err"; then
		echo "labbox-backup: making the repository $RESTIC_REPOSITORY"
		run_restic init >"$work/init.out" 2>&1 || fail "$(last_error "$work/init.out")"
	else
		cat "$work/config.err" >&2
		fail "$(last_error "$work/config.err")"
	fi
fi
# Locks left by a backup killed half-way (reboot, kill): restic removes only those of processes that are gone.
run_restic unlock >/dev/null 2>&1

# The hub's database, copied while the hub runs with SQLite's online backup: a consistent copy, never a
# half-written file (written beside, then renamed).
mkdir -p "$here/dump"
chmod 0700 "$here/dump"
if [ -f "$LABBOX_ROOT/data/jupyterhub.sqlite" ]; then
	sqlite3 -cmd '.timeout 20000' "$LABBOX_ROOT/data/jupyterhub.sqlite" ".backup '$here/dump/jupyterhub.sqlite.part'" 2>"$work/dump.err" ||
		fail "copying the hub database: $(last_error "$work/dump.err")"
	mv -f "$here/dump/jupyterhub.sqlite.part" "$here/dump/jupyterhub.sqlite"
fi

set --
for name in $LABBOX_PATHS; do
	[ -e "$LABBOX_ROOT/$name" ] && set -- "$@" "$LABBOX_ROOT/$name"
done
set -- "$@" "$here/dump"
[ "$progress" = --progress ] && export RESTIC_PROGRESS_FPS=2
{
	run_restic backup --json --host "$LABBOX_HOST" --tag labbox \
		--exclude "$LABBOX_ROOT/data/jupyterhub.sqlite" --exclude "$LABBOX_ROOT/data/jupyterhub.sqlite-*" "$@" 2>"$work/backup.err"
	echo $? >"$work/backup.rc"
} | tee "$work/backup.out" | if [ "$progress" = --progress ]; then cat; else grep -v '"message_type":"status"'; fi
code=$(cat "$work/backup.rc")
cat "$work/backup.err" >&2
summary=$(grep '"message_type":"summary"' "$work/backup.out" | tail -n 1)
snapshot=$(printf '%s' "$summary" | sed -n 's/.*"snapshot_id":"\([0-9a-f]*\)".*/\1/p')
added=$(printf '%s' "$summary" | sed -n 's/.*"data_added":\([0-9]*\).*/\1/p')
files=$(printf '%s' "$summary" | sed -n 's/.*"total_files_processed":\([0-9]*\).*/\1/p')
# Exit 3: a snapshot was made but some files could not be read; that is a failure to look at, not a success.
if [ "$code" -ne 0 ] || [ -z "$snapshot" ]; then
	fail "$(last_error "$work/backup.err")"
fi

# The retention, for this lab's snapshots (by its name, so a server restored from them continues the same set).
# --keep-within 2d: a new server's first backups never push out the snapshots its predecessor took that day.
run_restic forget --host "$LABBOX_HOST" --group-by host --prune --keep-within 2d $LABBOX_KEEP >"$work/forget.out" 2>&1 ||
	fail "the retention (forget --prune): $(last_error "$work/forget.out")"
tail -n 3 "$work/forget.out"

write_status "{\"result\":\"ok\",\"start\":\"$started\",\"end\":\"$(now)\",\"duration\":$(($(date +%s) - start_s)),\"snapshot\":\"$snapshot\",\"bytesAdded\":${added:-0},\"files\":${files:-0}}"
echo "labbox-backup: snapshot $snapshot saved, ${added:-0} bytes added"
