import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {hubImage, labFiles} from '../../../source/templates/lab-files.js';
import {notebookNetwork} from '../../../source/templates/notebook-network.js';
import {readTemplate} from '../../../source/templates/template-files.js';
import {configs, inputsFor} from './labs.js';

const expected = (lab: string, file: string) => path.join(import.meta.dirname, 'expected', lab, file);

describe('lab files', () => {
	describe.each(Object.keys(configs))('%s lab', lab => {
		const files = labFiles(inputsFor(configs[lab]!));

		// jupyterhub_config.py is static (tested below), so it has no per-lab render.
		const rendered = files.filter(file => !file.path.endsWith('.py'));
		it.each(rendered.map(file => [file.path, file] as const))('renders %s exactly', async (file, rendered) => {
			await expect(rendered.content).toMatchFileSnapshot(expected(lab, file === '.env' ? 'dot-env' : file));
		});

		it('publishes 80 and 443 from nginx only, with restart policies and rotated logs', () => {
			const compose = parse(files.find(file => file.path === 'compose.yaml')!.content);
			expect(compose.version).toBeUndefined();
			expect(compose.services.nginx.ports).toEqual(['80:80', '443:443']);
			expect(compose.services.hub.ports).toBeUndefined();
			for (const service of Object.values<Record<string, unknown>>(compose.services)) {
				expect(service.restart).toBe('unless-stopped');
				expect(service.logging).toEqual({driver: 'json-file', options: {'max-size': '10m', 'max-file': '5'}});
			}
		});
	});

	it('puts notebook servers on their own bridge, without inter-container traffic, the hub at a fixed address outside their range', () => {
		const compose = parse(labFiles(inputsFor(configs.github!)).find(file => file.path === 'compose.yaml')!.content);
		expect(compose.networks.notebooks).toEqual({
			name: 'labbox-notebooks',
			driver_opts: {'com.docker.network.bridge.name': notebookNetwork.bridge, 'com.docker.network.bridge.enable_icc': 'false'},
			ipam: {config: [{subnet: notebookNetwork.subnet, ip_range: notebookNetwork.range}]},
		});
		expect(compose.services.hub.networks).toEqual({front: {}, notebooks: {ipv4_address: notebookNetwork.hub}});
		// The hub in the subnet, not in the notebooks' range.
		const number = (address: string) => address.split('.').reduce((sum, byte) => sum * 256 + Number(byte), 0);
		const within = (address: string, cidr: string) => {
			const [base, bits] = cidr.split('/') as [string, string];
			return Math.floor(number(address) / 2 ** (32 - Number(bits))) === Math.floor(number(base) / 2 ** (32 - Number(bits)));
		};
		expect(within(notebookNetwork.hub, notebookNetwork.subnet)).toBe(true);
		expect(within(notebookNetwork.hub, notebookNetwork.range)).toBe(false);
		expect(within(notebookNetwork.range.split('/')[0]!, notebookNetwork.subnet)).toBe(true);
	});

	it('keeps the secret in .env only, mode 0600', () => {
		const files = labFiles(inputsFor(configs.oidc!));
		expect(files.filter(file => file.content.includes('shh-very-secret'))).toEqual([]);
		const env = files.find(file => file.path === '.env')!;
		expect(env.mode).toBe('0600');
		const value = /^LABBOX_SECRETS=(.+)$/m.exec(env.content)![1]!;
		expect(JSON.parse(Buffer.from(value, 'base64').toString('utf8'))).toEqual({clientSecret: 'shh-very-secret'});
	});

	it('copies jupyterhub_config.py as is: it holds no value from lab.yaml', () => {
		const config = labFiles(inputsFor(configs.github!)).find(file => file.path === 'jupyterhub/jupyterhub_config.py')!;
		expect(config.content).toBe(readTemplate('jupyterhub/jupyterhub_config.py'));
		expect(config.content).not.toContain('{{');
	});

	it('tags a built hub by its Dockerfile, and runs a prebuilt one as is', () => {
		const built = inputsFor(configs.github!).images;
		expect(hubImage(built)).toMatch(/^labbox-hub:[0-9a-f]{12}$/);
		expect(hubImage({...built, hub: 'quay.io/jupyterhub/jupyterhub:5.4.7'})).not.toBe(hubImage(built));
		expect(hubImage(inputsFor(configs.oidc!).images)).toBe('registry.example.org:5000/lab/hub:5.4.6');
		expect(labFiles(inputsFor(configs.oidc!)).map(file => file.path)).not.toContain('jupyterhub/Dockerfile');
	});

	it('changes only the hub label when a hub setting changes', () => {
		const labels = (config: Record<string, unknown>) => {
			const compose = parse(labFiles(inputsFor(config)).find(file => file.path === 'compose.yaml')!.content);
			return {nginx: compose.services.nginx.labels['org.labbox.config'], hub: compose.services.hub.labels['org.labbox.config']};
		};
		const before = labels(configs.oidc!);
		const after = labels({...configs.oidc!, 'limits.memory': '8G'});
		expect(after.nginx).toBe(before.nginx);
		expect(after.hub).not.toBe(before.hub);
	});
});
