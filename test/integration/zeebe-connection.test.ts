/**
 * The Zeebe connection settings (DESIGN.md §8): a gateway with TLS (certificate from a generated
 * CA) that accepts only calls carrying a token it verifies (Camunda identity mode), as Camunda
 * Self-Managed runs it. The token comes from a real token endpoint: the client `zeebe` of the
 * shared test server's demo OpenID provider. The gateway fetches that provider's keys at the
 * Keycloak path it expects (`<issuer>/protocol/openid-connect/certs`): a small HTTP adapter here
 * serves the provider's JWKS under that path, so the real gateway checks the real token.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import selfsigned from 'selfsigned';
import { ZBClient } from 'zeebe-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config';
import { Engine } from '../../server/engine/zeebe';
import { ZEEBE_AUDIENCE } from '../../server/idp/provider';
import { freeBrokerPort, startBroker, type BrokerHandle } from '../../tools/zeebe';
import { applicant, baseUrl, dogData } from './client';
import { providerMetadata } from './oidc';
import { freePort, startServerProcess, type ServerProcess } from './server-process';

const SECRET = 'demo1234';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-zeebe-tls-'));
const caFile = path.join(dir, 'ca.pem');
let broker: BrokerHandle;
let server: ServerProcess;
let keyAdapter: http.Server;
let keyFetches = 0;
let tokenUrl: string;

/** The server's Zeebe settings as an operator would write them (README, Configuration). */
const zeebeEnv = (address: string, secret = SECRET) => ({
  ZEEBE_ADDRESS: address,
  ZEEBE_CA_CERTIFICATE_PATH: caFile,
  ZEEBE_AUTHORIZATION_SERVER_URL: tokenUrl,
  ZEEBE_CLIENT_ID: 'zeebe',
  ZEEBE_CLIENT_SECRET: secret,
  ZEEBE_TOKEN_AUDIENCE: ZEEBE_AUDIENCE,
});

beforeAll(async () => {
  tokenUrl = (await providerMetadata(baseUrl())).token_endpoint as string;
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Test CA Zeebe' }], {
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const gateway = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  fs.writeFileSync(caFile, ca.cert);
  fs.writeFileSync(path.join(dir, 'gateway.pem'), gateway.cert);
  fs.writeFileSync(path.join(dir, 'gateway.key'), gateway.private, { mode: 0o600 });

  const jwksUri = (await providerMetadata(baseUrl())).jwks_uri as string;
  keyAdapter = http.createServer((req, res) => {
    if (req.url !== '/realms/lu/protocol/openid-connect/certs') return void res.writeHead(404).end();
    keyFetches += 1;
    void fetch(jwksUri).then(async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()));
  });
  const adapterPort = await freePort();
  await new Promise<void>((resolve) => keyAdapter.listen(adapterPort, '127.0.0.1', resolve));

  broker = await startBroker(
    {
      gatewayPort: await freeBrokerPort(),
      dataDir: path.join(dir, 'zeebe'),
      logFile: path.join(dir, 'zeebe.log'),
      tls: { certFile: path.join(dir, 'gateway.pem'), keyFile: path.join(dir, 'gateway.key') },
      tokenCheck: { issuerBackendUrl: `http://127.0.0.1:${adapterPort}/realms/lu`, audience: ZEEBE_AUDIENCE },
      client: {
        useTLS: true,
        customSSL: { rootCerts: Buffer.from(ca.cert) },
        oAuth: { url: tokenUrl, clientId: 'zeebe', clientSecret: SECRET, audience: ZEEBE_AUDIENCE, cacheOnDisk: false },
      },
    },
    (m) => console.log(`[zeebe-tls] ${m}`),
  );
  server = await startServerProcess({ dataDir: path.join(dir, 'server'), zeebeAddress: broker.address, env: zeebeEnv(broker.address) });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await broker?.stop();
  keyAdapter?.close();
});

/** The gRPC status code a topology request ends with (0: answered). */
async function topologyCode(options: ConstructorParameters<typeof ZBClient>[1]): Promise<number> {
  const client = new ZBClient(broker.address, { loglevel: 'NONE', retry: false, ...options });
  try {
    await client.topology();
    return 0;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  } finally {
    await client.close(1000).catch(() => {});
  }
}

describe('Zeebe gateway with TLS and OAuth client credentials', () => {
  it('refuses plaintext, an unknown CA, and a TLS call without a token', async () => {
    const ca = fs.readFileSync(caFile);
    // no TLS handshake / the system CAs do not know the gateway: gRPC reports UNAVAILABLE (14),
    // or CANCELLED (1) / INTERNAL (13) when the gateway drops the connection first; never a topology
    const refused = [1, 13, 14];
    expect(refused).toContain(await topologyCode({ useTLS: false }));
    expect(refused).toContain(await topologyCode({ useTLS: true }));
    expect(await topologyCode({ useTLS: true, customSSL: { rootCerts: ca } })).toBe(16); // UNAUTHENTICATED
  });

  it("the engine connects with the configured CA file and a token from the provider's token endpoint; a wrong secret gets no token", async () => {
    const log = pino({ level: 'silent' });
    const base = { DEMO_MODE: 'true' };
    const good = new Engine(loadConfig({ ...base, ...zeebeEnv(broker.address) }).zeebe, log);
    const wrongSecret = new Engine(loadConfig({ ...base, ...zeebeEnv(broker.address, 'not-the-secret') }).zeebe, log);
    try {
      expect(await good.isReady()).toBe(true);
      expect(await wrongSecret.isReady()).toBe(false);
      // the gateway verified the token against the provider's keys
      expect(keyFetches).toBeGreaterThan(0);
    } finally {
      await good.close();
      await wrongSecret.close();
    }
  });

  it('a server with these settings deploys, starts and completes a case through that gateway', { timeout: 120_000 }, async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/services/hundeanmeldung/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ municipality: 1061, applicant: applicant(), data: dogData() }),
    });
    expect(res.status).toBe(201);
    const { reference, accessToken } = (await res.json()) as { reference: string; accessToken: string };
    const deadline = Date.now() + 90_000;
    let status = '';
    while (Date.now() < deadline && status !== 'completed') {
      await new Promise((r) => setTimeout(r, 500));
      const r = await fetch(`${server.baseUrl}/api/v1/submissions/${reference}`, { headers: { authorization: `Bearer ${accessToken}` } });
      status = ((await r.json()) as { status: string }).status;
    }
    expect(status).toBe('completed');
  });

  it('refuses half an OAuth configuration and a missing CA file at start-up', () => {
    expect(() => loadConfig({ DEMO_MODE: 'true', ZEEBE_CLIENT_ID: 'zeebe' })).toThrow(/ZEEBE_AUTHORIZATION_SERVER_URL.*\n.*ZEEBE_CLIENT_SECRET.*\n.*ZEEBE_TOKEN_AUDIENCE/);
    expect(() => loadConfig({ DEMO_MODE: 'true', ZEEBE_CA_CERTIFICATE_PATH: path.join(dir, 'missing.pem') })).toThrow(/ZEEBE_CA_CERTIFICATE_PATH: no such file/);
  });
});
