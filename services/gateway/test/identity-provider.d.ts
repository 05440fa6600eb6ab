/**
 * A real OpenID Connect provider on a loopback port, issuing JWT access tokens (client
 * credentials) for the gateway's audience. Each client's tokens carry `sub` = its client id
 * plus the claims `clients` holds for it when the token is issued, so a test may fill them
 * in later (e.g. with an id it has only just created). Stopped when the test ends.
 */
export declare function startIdentityProvider(
  t: {
    after: (fn: () => unknown) => void
  },
  clients: Record<string, Record<string, unknown>>,
): Promise<{
  issuer: string
  token: (clientId: string) => Promise<string>
}>
//# sourceMappingURL=identity-provider.d.ts.map
