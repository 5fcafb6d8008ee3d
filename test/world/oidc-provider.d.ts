// oidc-provider 9 ships no type declarations (and @types lags behind): only what oidc-server.ts uses.
declare module 'oidc-provider' {
	import type {IncomingMessage, ServerResponse} from 'node:http';

	export interface Grant {
		addOIDCScope(scope: string): void;
		addOIDCClaims(claims: string[]): void;
		save(): Promise<string>;
	}
	export interface KoaContextWithOIDC {
		oidc: {
			result?: {consent?: {grantId?: string}};
			session?: {accountId: string; grantIdFor(clientId: string): string | undefined};
			client?: {clientId: string};
			provider: Provider;
		};
	}
	type Handler = (request: IncomingMessage, response: ServerResponse) => void;
	export default class Provider {
		constructor(issuer: string, configuration: Record<string, unknown>);
		Grant: {new (init: {clientId: string; accountId: string}): Grant; find(id: string): Promise<Grant | undefined>};
		Client: {prototype: {redirectUriAllowed(uri: string): boolean}};
		callback(): Handler;
		interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<{uid: string; prompt: {name: string}}>;
		interactionFinished(
			request: IncomingMessage,
			response: ServerResponse,
			result: Record<string, unknown>,
			options?: {mergeWithLastSubmission?: boolean},
		): Promise<void>;
	}
}
