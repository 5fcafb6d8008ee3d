// `npm run world -- up | server VARIANT | down [--all]`: the test world from the command line.
import {down} from './down.js';
import {isVariant, variants} from './server-image.js';
import {startServer} from './server.js';
import {up} from './up.js';

async function main(argv: string[]): Promise<void> {
	const [command, argument] = argv;
	switch (command) {
		case 'up':
			await up();
			return;
		case 'server': {
			const variant = argument ?? 'debian13';
			if (!isVariant(variant)) throw new Error(`unknown variant ${variant}; one of: ${variants.join(', ')}`);
			process.stdout.write(`${JSON.stringify(await startServer(variant, {keep: true}), null, '\t')}\n`);
			return;
		}
		case 'down':
			await down({all: argv.includes('--all')});
			return;
		default:
			throw new Error('usage: npm run world -- up | server VARIANT | down [--all]');
	}
}

main(process.argv.slice(2)).catch((error: unknown) => {
	process.stderr.write(`[world] ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
