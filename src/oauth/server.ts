// What the authorization-server routes and the resource-server verifier share: the service
// environment, the storage of clients, codes and grants, the URLs (fixed once the port is known)
// and the token signer.
import type { ServiceEnv } from '../services/env.ts';
import { oauthStore, type OAuthStore } from '../services/oauth/store.ts';
import { tokenSigner, type TokenSigner } from './signing.ts';
import { lazyOAuthUrls, type OAuthUrls } from './urls.ts';

export interface OAuthServer {
  env: ServiceEnv;
  /** Every read and write of the OAuth tables goes through this (services/oauth/store.ts). */
  store: OAuthStore;
  urls(): OAuthUrls;
  signer(): Promise<TokenSigner>;
  /** Origins that are this server itself (issuer and loopback names of its port). */
  ownOrigins(): ReadonlySet<string>;
}

export function createOAuthServer(env: ServiceEnv, listening: { port: number }, ownOrigins: () => ReadonlySet<string>): OAuthServer {
  return {
    env,
    store: oauthStore(env),
    urls: lazyOAuthUrls(env.config.mcp.issuerUrl, listening),
    signer: () => tokenSigner(env.keys),
    ownOrigins,
  };
}
