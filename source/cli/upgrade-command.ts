/**
 * `labbox upgrade [--check]` (issue 13 item 3): the lab moves to the images lab.yaml (or this labbox) pins. The
 * plan first, from → to for each image; a backup first when backups are set up (backup-hook.ts); the new images
 * pulled while the lab runs; the hub's database copied aside; the stack on the new images, which upgrades the
 * database and is checked at https://NAME/hub/health and at its login page (login-page.ts). On a failure the
 * previous images and database come back.
 * Exit 0 done (or up to date, or declined), 1 failed (rolled back, or the rollback failed too: both said),
 * 2 usage or configuration, 3 (--check) an upgrade is available, 130 Ctrl-C.
 */
import {readConfigFile} from '../config/files.js';
import {ConfigError} from '../config/resolve.js';
import {backups} from '../daytwo/backup-hook.js';
import {confirmPlan} from '../daytwo/confirm.js';
import {openLab, type LabConnection} from '../daytwo/lab-connection.js';
import {checkLoginPage} from '../daytwo/login-page.js';
import {
	ownPins,
	parseRunning,
	pinChanges,
	restoreDatabase,
	runningFiles,
	saveDatabase,
	upgradePlan,
	wantedPins,
	type PinChange,
	type Pins,
} from '../daytwo/upgrade-plan.js';
import {camelName, commandLine} from './invocation.js';
import {commandFailed, exitCode, invocation, type GlobalFlags, type Io} from './context.js';

/** Runs `labbox run STEPS`, with these config values given as flags (the rollback's old images). */
export type RunSteps = (only: readonly string[], values?: Readonly<Record<string, string>>) => Promise<number>;

export const upgradeAvailable = 3;

/** Reads what runs and what should; says the plan. */
async function look(lab: LabConnection, io: Io): Promise<{from: Pins; changes: PinChange[]} | number> {
	const from = parseRunning((await lab.shell.exec(runningFiles(lab.root), {sudo: true, signal: lab.signal})).stdout);
	if (!from) {
		io.stderr.write(`There is no lab in ${lab.root} on the server to upgrade: run \`labbox\` to set it up.\n`);
		return exitCode.usage;
	}
	const notes = ownPins((await readConfigFile(lab.paths.config)).values);
	for (const note of notes) {
		io.stdout.write(`Note: ${note}\n`);
	}
	return {from, changes: pinChanges(from, wantedPins(lab.config))};
}

export async function upgradeCommand(
	flags: GlobalFlags,
	options: Record<string, unknown> & {check?: boolean},
	io: Io,
	runSteps: RunSteps,
): Promise<number> {
	let lab: LabConnection | undefined;
	let looked: Awaited<ReturnType<typeof look>>;
	let backupsOn = false;
	try {
		lab = await openLab('upgrade', flags, options, io);
		looked = await look(lab, io);
		backupsOn = backups.configured(lab.config);
	} catch (error) {
		await lab?.close();
		if (error instanceof ConfigError) {
			io.stderr.write(
				`The configuration needs attention (nothing was changed):\n${error.problems.map(item => `  • ${item.message}`).join('\n')}\n`,
			);
			return exitCode.usage;
		}
		return commandFailed(error, io);
	}
	if (typeof looked === 'number' || looked.changes.length === 0 || options.check) {
		await lab.close();
		if (typeof looked === 'number') {
			return looked;
		}
		if (looked.changes.length === 0) {
			io.stdout.write('The lab runs the images lab.yaml and this labbox pin: nothing to upgrade.\n');
			return exitCode.done;
		}
		io.stdout.write(
			`An upgrade is available:\n${looked.changes.map(change => `  ${change.key}: ${change.from} → ${change.to}`).join('\n')}\nRun \`${commandLine(invocation(flags, options, io), 'upgrade')}\` to apply it.\n`,
		);
		return upgradeAvailable;
	}
	const {from, changes} = looked;
	const root = lab.root;
	const spoken = commandLine(invocation(flags, options, io), 'upgrade');
	try {
		const answer = await confirmPlan(upgradePlan(changes, root, backupsOn), {yes: flags.yes, io, question: 'Upgrade the lab?'});
		if (answer !== 'yes') {
			io[answer === 'cannot-ask' ? 'stderr' : 'stdout'].write(
				answer === 'cannot-ask'
					? `Nothing was changed: without a terminal, add --yes to go ahead (${spoken} --yes).\n`
					: 'Nothing was changed.\n',
			);
			return answer === 'no' ? exitCode.done : answer === 'interrupted' ? exitCode.interrupted : exitCode.usage;
		}
		if (backupsOn) {
			// A backup that fails stops the upgrade before anything changed.
			await backups.takeNow(lab, line => io.stdout.write(`  ${lab!.redactor.redact(line)}\n`));
		}
	} catch (error) {
		io.stderr.write(`labbox: ${lab.redactor.redact(error instanceof Error ? error.message : String(error))}\nNothing was changed.\n`);
		await lab.close();
		return exitCode.failed;
	}
	// The new images first, while the lab runs on the old ones: a pull that fails changes nothing.
	const pulled = await runSteps(['images']);
	if (pulled !== exitCode.done) {
		await lab.close();
		io.stderr.write(
			`The new images could not be made ready; the lab runs on as it was. Fix the cause above, then run \`${spoken}\` again.\n`,
		);
		return pulled;
	}
	try {
		await lab.shell.run(saveDatabase(root), {sudo: true, signal: lab.signal});
		const started = await runSteps(['stack']);
		if (started === exitCode.interrupted) {
			io.stderr.write(
				`Interrupted while the lab starts on the new images: run \`${spoken}\` again, or \`${commandLine(invocation(flags, options, io), 'run stack')}\`.\n`,
			);
			return started;
		}
		// Healthy is not enough: the login page must answer too (a login that does not fit the new hub).
		const login = started === exitCode.done ? await checkLoginPage(lab) : undefined;
		if (login?.ok) {
			io.stdout.write(
				`https://${String(lab.config.domain)}/hub/health and /hub/login answer on the new images.\nThe lab is upgraded: ${changes.map(change => `${change.key} ${change.to}`).join(', ')}. The database as it was is kept in ${root}/data/jupyterhub.sqlite.before-upgrade.\n`,
			);
			return exitCode.done;
		}
		io.stderr.write(
			`The lab did not come up on the new images${login ? ` (its health answers, but ${login.reason})` : ''}: rolling back to the previous images and database.\n`,
		);
		// Rollback: the old database, then the old images (still on the server).
		await lab.shell.run(restoreDatabase(root), {sudo: true, signal: lab.signal});
		const old = Object.fromEntries(changes.map(change => [camelName(change.key), from[change.key]]));
		const back = await runSteps(['images', 'stack'], old);
		io.stderr.write(
			back === exitCode.done
				? `Rolled back: the lab runs on ${changes.map(change => `${change.key} ${change.from}`).join(', ')} with its database as before the upgrade. Why the new images failed is above. lab.yaml (or this labbox) still asks for the new images: pin the old ones in lab.yaml (${changes.map(change => `${change.key}: ${change.from}`).join(', ')}) until the cause is fixed.\n`
				: `The rollback failed too (see above): the database copy is ${root}/data/jupyterhub.sqlite.before-upgrade. Pin the old images in lab.yaml (${changes.map(change => `${change.key}: ${change.from}`).join(', ')}) and run \`labbox run stack\`.\n`,
		);
		return exitCode.failed;
	} catch (error) {
		io.stderr.write(
			`labbox: ${lab.redactor.redact(error instanceof Error ? error.message : String(error))}\nThe database copy is ${root}/data/jupyterhub.sqlite.before-upgrade; \`labbox run stack\` starts the hub again.\n`,
		);
		return exitCode.failed;
	} finally {
		await lab.close();
	}
}
