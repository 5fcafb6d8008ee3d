/**
 * What each command's `--help` shows after its options: examples and the exit codes (issue 10 item 22).
 * The codes are the README's; `exitCode` in context.ts holds their numbers.
 */
import {wrapWords} from '../ui/text.js';

const codes = (failed: string) => `
Exit codes:
  0    done
  1    ${failed}
  2    bad usage or configuration (nothing was run)
  130  interrupted with Ctrl-C (run labbox --resume)`;

/** What a newcomer needs, in one place: `labbox --help` and the wizard's first words say it (issue 10 item 22). */
export const whatYouNeed =
	'You need: a Linux server you can reach with SSH as root or as a sudo user, a DNS name you control, and a way for your researchers to log in (accounts in the lab itself, or GitHub, GitLab or OpenID Connect).';

export const examples = (...lines: string[]) => `\nExamples:\n${lines.map(line => `  ${line}`).join('\n')}\n`;

export const helpAfter = {
	labbox: `
${wrapWords(`${whatYouNeed} Nothing on the server changes before you have seen the plan and pressed Enter.`, 105).join('\n')}
${examples('labbox --dir ~/my-lab            # the wizard: asks, shows the plan, runs every step', 'labbox --dir ~/my-lab plan       # what each step would change; changes nothing', 'labbox --dir ~/my-lab --resume   # continue after Ctrl-C or a dropped connection', 'labbox COMMAND --help            # one command in detail')}${codes('a step failed, or another labbox holds the lab folder')}`,
	setup: `${examples('labbox                              # in the lab folder: ask what is missing, plan, run', 'labbox --dir ~/my-lab --ssh-port 2222', 'labbox --yes                        # unattended: every answer from lab.yaml, secrets.env, flags or LABBOX_*')}${codes('a step failed, or another labbox holds the lab folder')}`,
	run: `${examples('labbox run certificate              # check the certificate on the server again, renew what is missing', 'labbox run images stack             # several steps, in the usual order')}${codes('a step failed, or another labbox holds the lab folder')}`,
	resume: `${examples('labbox resume', 'labbox --dir ~/my-lab --resume')}${codes('a step failed, or another labbox holds the lab folder')}`,
	plan: `${examples('labbox plan', 'labbox plan --dir ~/my-lab --plain  # line by line, for a log')}${codes('a step is blocked (its line says why and what to do)')}`,
	status: `${examples('labbox status                       # the record, the certificate and https://NAME/hub/health', 'labbox status --no-live             # the record only, without asking the server')}${codes('a step failed or the lab is not well')}`,
	backup: `${examples("labbox backup                       # one backup now, as the server's timer takes them")}${codes('the backup failed (its line says why and what to do)')}`,
	backups: `${examples('labbox backups')}${codes('the repository could not be read')}`,
	restore: `${examples('labbox restore                      # the whole lab from the newest snapshot (a plan first)', 'labbox restore --user alice --snapshot 1a2b3c4d', 'labbox restore --to /srv/restored   # into a folder on the server; the lab is not touched')}${codes('the restore failed; what it replaced is kept in LAB_ROOT/backup/before-restore-*')}`,
	steps: `${examples('labbox steps')}
Exit codes:
  0    done`,
} as const;
