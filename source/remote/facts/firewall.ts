/** Which host firewall is in use, so ssh-port opens the new port in the right one. */
import {raw, shell} from '../command.js';
import {lines, type Fact} from './fact.js';

/** The firewall that filters incoming traffic; `none` when neither ufw nor firewalld is active. */
export type Firewall = 'ufw' | 'firewalld' | 'none';

// systemctl only when firewalld is installed: a process less in most round trips of facts (issue 11).
const probe =
	'command -v ufw >/dev/null 2>&1 && echo "ufw $(ufw status 2>/dev/null | head -n 1)"; ' +
	'echo "firewalld $(command -v firewall-cmd >/dev/null 2>&1 && systemctl is-active firewalld 2>/dev/null)"';

export const firewall: Fact<Firewall> = {
	name: 'firewall',
	command: shell([raw(probe)]),
	parse(output) {
		const found = lines(output);
		if (!found.some(line => line.startsWith('firewalld'))) {
			return undefined;
		}

		if (found.includes('ufw Status: active')) {
			return 'ufw';
		}

		return found.includes('firewalld active') ? 'firewalld' : 'none';
	},
};
