/**
 * The notebook firewall (issue 9 item 14): a script and the systemd unit that runs it after Docker starts, so the
 * rules come back after a reboot and a Docker restart. The stack step owns both; they land outside lab.root
 * (systemd reads units from /etc, scripts run from /usr/local/sbin, as ssh-port's revert does).
 */
import {combine, quiet, shell, type Command} from '../../source/remote/command.js';
import {daemonReload, enable, restart} from '../../source/remote/commands/systemctl.js';
import {notebookNetwork} from '../../source/templates/notebook-network.js';
import {renderTemplate} from '../../source/templates/render.js';
import type {DesiredFile} from '../../source/remote/file-sync.js';
import {fileOwner} from '../../source/templates/lab-files.js';
import {readTemplate} from '../../source/templates/template-files.js';

export const firewallUnit = 'labbox-firewall.service';
export const firewallScript = '/usr/local/sbin/labbox-firewall';

/** The script (rendered with the notebook network's bridge and the hub's address) and its unit. */
export function firewallFiles(): DesiredFile[] {
	const {bridge, hub, hubApiPort} = notebookNetwork;
	const script = renderTemplate('firewall/labbox-firewall.sh', readTemplate('firewall/labbox-firewall.sh'), {bridge, hub, hubApiPort});
	return [
		{path: firewallScript, content: script, mode: '0755', owner: fileOwner},
		{
			path: `/etc/systemd/system/${firewallUnit}`,
			content: readTemplate('firewall/labbox-firewall.service'),
			mode: '0644',
			owner: fileOwner,
		},
	];
}

/** Prints `in-place` when the unit is enabled and the rules are loaded (the script's own check); nothing otherwise. */
export function firewallInPlace(): Command {
	return quiet(
		shell(combine(['systemctl', 'is-enabled', '--quiet', firewallUnit], ['sh', firewallScript, '--check'], ['echo', 'in-place'])),
	);
}

/** Loads the (new) unit, enables it for boot and Docker starts, and (re)applies the rules now. */
export function applyFirewall(): Command {
	return combine(daemonReload(), enable(firewallUnit), restart(firewallUnit));
}
