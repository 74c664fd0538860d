// oauth4webapi as a strict, standards-minded client that nobody here wrote: discovery with the exact
// issuer, RFC 9728 resource discovery, dynamic registration, PKCE S256, RFC 9207 iss validation,
// the code exchange, RFC 9068 validation of the access token, refresh rotation with reuse
// detection, code replay and RFC 7009 revocation — each followed by a real request to /mcp or /api.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { Browser, browserAuthorize, startOAuthTestServer } from '../helpers/oauth.ts';
import { ADMIN, type TestServer } from '../helpers/server.ts';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

describe('oauth4webapi strict client', () => {
  let s: TestServer & { issuer: string };
  let as: oauth.AuthorizationServer;
  const redirectUri = 'http://127.0.0.1:8976/callback';

  before(async () => {
    s = await startOAuthTestServer();
    const res = await oauth.discoveryRequest(new URL(s.issuer), { algorithm: 'oauth2', ...insecure });
    assert.equal(res.headers.get('content-type'), 'application/json');
    as = await oauth.processDiscoveryResponse(new URL(s.issuer), res);
  });
  after(() => s.stop());

  const register = async (metadata: Partial<oauth.Client>) => {
    const res = await oauth.dynamicClientRegistrationRequest(as, { redirect_uris: [redirectUri], client_name: 'strict client', ...metadata }, insecure);
    assert.equal(res.status, 201);
    return oauth.processDynamicClientRegistrationResponse(res);
  };

  /** Authorization request + browser step + iss/state validation + code exchange. */
  const signIn = async (client: oauth.Client, auth: oauth.ClientAuth, scope = 'rackd:read rackd:write') => {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      resource: `${s.issuer}/mcp`,
    }).toString();
    const { location } = await browserAuthorize(new Browser(s.url), url.href, ADMIN);
    const params = oauth.validateAuthResponse(as, client, location, state);
    const exchange = () => oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, { ...insecure, additionalParameters: { resource: `${s.issuer}/mcp` } });
    const res = await exchange();
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res);
    return { tokens, exchange, params, verifier };
  };

  const mcpStatus = async (token: string) => {
    const res = await fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    return { status: res.status, challenge: res.headers.get('www-authenticate') };
  };

  it('discovers the resource and the issuer with byte-identical strings', async () => {
    const res = await oauth.resourceDiscoveryRequest(new URL(`${s.issuer}/mcp`), insecure);
    const rs = await oauth.processResourceDiscoveryResponse(new URL(`${s.issuer}/mcp`), res);
    assert.deepEqual(rs.authorization_servers, [s.issuer]);
    assert.equal(as.issuer, s.issuer);
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.equal(as.authorization_response_iss_parameter_supported, true);
  });

  it('public client: DCR, PKCE, iss check, exchange, RFC 9068 token, call /mcp', async () => {
    const client = await register({ token_endpoint_auth_method: 'none' });
    assert.equal(client.client_secret, undefined);
    const { tokens } = await signIn(client, oauth.None());
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.scope, 'rackd:read rackd:write');
    const claims = await oauth.validateJwtAccessToken(
      as,
      new Request(`${s.issuer}/mcp`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
      `${s.issuer}/mcp`,
      insecure,
    );
    assert.equal(claims.client_id, client.client_id);
    assert.equal(claims.iss, s.issuer);
    assert.equal(claims.aud, `${s.issuer}/mcp`);
    assert.equal(typeof claims.fid, 'string');
    assert.equal((await mcpStatus(tokens.access_token)).status, 200);
  });

  it('confidential clients authenticate with client_secret_basic and client_secret_post', async () => {
    const basic = await register({ token_endpoint_auth_method: 'client_secret_basic' });
    assert.match(basic.client_secret as string, /^rackd_cs_/);
    assert.equal(basic.client_secret_expires_at, 0);
    const a = await signIn(basic, oauth.ClientSecretBasic(basic.client_secret as string));
    assert.equal((await mcpStatus(a.tokens.access_token)).status, 200);

    const post = await register({ token_endpoint_auth_method: 'client_secret_post' });
    const b = await signIn(post, oauth.ClientSecretPost(post.client_secret as string));
    assert.equal((await mcpStatus(b.tokens.access_token)).status, 200);

    // A wrong secret over Basic: 401 invalid_client with a Basic challenge.
    const res = await oauth.refreshTokenGrantRequest(as, basic, oauth.ClientSecretBasic('rackd_cs_wrong'), a.tokens.refresh_token!, insecure);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate')!, /^Basic /);
    assert.equal((await res.json()).error, 'invalid_client');
  });

  it('rotates refresh tokens; presenting a rotated one revokes the whole family', async () => {
    const client = await register({ token_endpoint_auth_method: 'none' });
    const { tokens } = await signIn(client, oauth.None());
    const r1 = tokens.refresh_token!;
    const refresh = (rt: string) => oauth.refreshTokenGrantRequest(as, client, oauth.None(), rt, insecure);
    const second = await oauth.processRefreshTokenResponse(as, client, await refresh(r1));
    assert.notEqual(second.refresh_token, r1);
    assert.equal((await mcpStatus(second.access_token)).status, 200);
    const third = await oauth.processRefreshTokenResponse(as, client, await refresh(second.refresh_token!));
    assert.equal((await mcpStatus(third.access_token)).status, 200);

    // An attacker replays the first refresh token.
    await assert.rejects(
      async () => oauth.processRefreshTokenResponse(as, client, await refresh(r1)),
      (err: oauth.ResponseBodyError) => err.error === 'invalid_grant' && err.status === 400,
    );
    // The newest access token is refused on the next request, and so is the newest refresh token.
    const after = await mcpStatus(third.access_token);
    assert.equal(after.status, 401);
    assert.match(after.challenge!, /error="invalid_token"/);
    await assert.rejects(
      async () => oauth.processRefreshTokenResponse(as, client, await refresh(third.refresh_token!)),
      (err: oauth.ResponseBodyError) => err.error === 'invalid_grant',
    );
  });

  it('a refresh may narrow the scope but never widen it', async () => {
    const client = await register({ token_endpoint_auth_method: 'none' });
    const { tokens } = await signIn(client, oauth.None(), 'rackd:read');
    const wide = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, { ...insecure, additionalParameters: { scope: 'rackd:write' } });
    assert.equal(wide.status, 400);
    assert.equal((await wide.json()).error, 'invalid_scope');
    const narrow = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, { ...insecure, additionalParameters: { scope: 'datacenter:list' } }),
    );
    assert.equal(narrow.scope, 'datacenter:list');
    // The rotated refresh token keeps the consented scope.
    const again = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), narrow.refresh_token!, insecure));
    assert.equal(again.scope, 'rackd:read');
  });

  it('a code works once; its replay revokes what the first exchange issued', async () => {
    const client = await register({ token_endpoint_auth_method: 'none' });
    const { tokens, exchange } = await signIn(client, oauth.None());
    assert.equal((await mcpStatus(tokens.access_token)).status, 200);
    const replay = await exchange();
    assert.equal(replay.status, 400);
    assert.equal((await replay.json()).error, 'invalid_grant');
    assert.equal((await mcpStatus(tokens.access_token)).status, 401);
    const refresh = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, insecure);
    assert.equal((await refresh.json()).error, 'invalid_grant');
  });

  it('revocation (RFC 7009) takes effect on the next request', async () => {
    const client = await register({ token_endpoint_auth_method: 'none' });
    const { tokens } = await signIn(client, oauth.None());
    assert.equal((await mcpStatus(tokens.access_token)).status, 200);
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), tokens.access_token, insecure));
    assert.equal((await mcpStatus(tokens.access_token)).status, 401);
    const api = await s.api.get('/api/datacenters', { token: tokens.access_token });
    assert.equal(api.status, 401);
    // Revoking the grant took the refresh token with it.
    const refresh = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, insecure);
    assert.equal((await refresh.json()).error, 'invalid_grant');
    // Unknown tokens answer 200 too.
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), 'rackd_rt_nothing', insecure));
  });

  it('a client cannot revoke or refresh another client’s tokens', async () => {
    const mine = await register({ token_endpoint_auth_method: 'none' });
    const other = await register({ token_endpoint_auth_method: 'none' });
    const { tokens } = await signIn(mine, oauth.None());
    const res = await oauth.revocationRequest(as, other, oauth.None(), tokens.refresh_token!, insecure);
    assert.equal(res.status, 400);
    const refresh = await oauth.refreshTokenGrantRequest(as, other, oauth.None(), tokens.refresh_token!, insecure);
    assert.equal((await refresh.json()).error, 'invalid_grant');
    // Neither attempt harmed the owner's grant.
    assert.equal((await mcpStatus(tokens.access_token)).status, 200);
    await oauth.processRefreshTokenResponse(as, mine, await oauth.refreshTokenGrantRequest(as, mine, oauth.None(), tokens.refresh_token!, insecure));
  });
});
