import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { exportJWK, generateKeyPair } from 'jose'
import Provider from 'oidc-provider'
import { freePort } from '@brokerage/platform/testing'

const RESOURCE = 'https://api.brokerage.test'

/**
 * A real OpenID Connect provider on a loopback port, issuing JWT access tokens (client
 * credentials) for the gateway's audience. Each client's tokens carry `sub` = its client id
 * plus the claims `clients` holds for it when the token is issued, so a test may fill them
 * in later (e.g. with an id it has only just created). Stopped when the test ends.
 */
export async function startIdentityProvider(t: { after: (fn: () => unknown) => void }, clients: Record<string, Record<string, unknown>>) {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const provider = new Provider(issuer, {
    scopes: ['openid', 'api'],
    clients: Object.keys(clients).map((id) => ({
      client_id: id,
      client_secret: `${id}-secret`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'api',
    })),
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: `key-${port}`, alg: 'RS256', use: 'sig' }] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: 'brokerage-api',
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx: unknown, token: { clientId: string }) => clients[token.clientId],
  })
  const server = createServer(provider.callback())
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  server.unref()

  async function token(clientId: string): Promise<string> {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: `${clientId}-secret`,
        scope: 'api',
        resource: RESOURCE,
      }),
    })
    const body = (await res.json()) as { access_token?: string }
    assert.equal(res.status, 200, JSON.stringify(body))
    return body.access_token!
  }
  return { issuer, token }
}
