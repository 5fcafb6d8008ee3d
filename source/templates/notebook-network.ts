/**
 * The network of the users' notebook servers (issue 9 item 14). Its bridge has a fixed name and its subnet is
 * fixed, so the firewall (templates/firewall/) can name the bridge and the hub's address, and the hub keeps
 * that address when it is recreated. compose.yaml and the firewall script are both rendered from these values.
 */
export const notebookNetwork = {
	/** Docker's name of the network (DockerSpawner's network_name). */
	name: 'labbox-notebooks',
	/** The bridge interface on the server (at most 15 characters). */
	bridge: 'labbox-nb',
	subnet: '172.30.250.0/24',
	/** Notebook servers get addresses from here only: none can take the hub's. */
	range: '172.30.250.128/25',
	/** The hub's address on the network: the only one notebooks may reach (its API port). */
	hub: '172.30.250.2',
	/** The hub's API port (hub_bind_url), which notebook servers call. */
	hubApiPort: '8081',
} as const;
