/** The connect step's facts: what the server is (OS, size, init, sshd, firewall, Docker), read with every other step's. */
import {composeV1, composeVersion, dockerServer, dockerVersion} from '../../source/remote/facts/docker.js';
import {diskFree} from '../../source/remote/facts/disk-free.js';
import {firewall} from '../../source/remote/facts/firewall.js';
import type {FactSet, Gathered} from '../../source/remote/facts/gather.js';
import {arch, cpus, memory} from '../../source/remote/facts/hardware.js';
import {osRelease} from '../../source/remote/facts/os-release.js';
import {sshdPorts, sshdStart} from '../../source/remote/facts/sshd.js';
import {systemd} from '../../source/remote/facts/systemd.js';

/** The facts the `connect` step records and shows; `labRoot` is where the lab will live (for free disk). */
export function labFacts(labRoot: string) {
	return {
		os: osRelease,
		arch,
		cpus,
		memory,
		disk: diskFree(labRoot),
		systemd,
		sshdStart,
		sshdPorts,
		firewall,
		docker: dockerVersion,
		dockerServer,
		compose: composeVersion,
		composeV1,
	} satisfies FactSet;
}

/** The facts of `labFacts`, parsed. */
export type LabFacts = Gathered<ReturnType<typeof labFacts>>;
