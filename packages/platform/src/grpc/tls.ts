import * as grpc from '@grpc/grpc-js'
import { readFileSync } from 'node:fs'
import type { PeerCertificate } from 'node:tls'
import { ConfigError, readConfig, type Env } from '../config.js'

/**
 * Mutual TLS for a service's gRPC links: its own certificate and key (its identity, as a
 * server and as a client) and the platform CA every peer must be signed by.
 */
export interface GrpcTls {
  /** PEM of the CA that signs every platform certificate. */
  ca: Buffer
  cert: Buffer
  key: Buffer
  /**
   * Names (certificate CN or DNS name) allowed to call this service; unset allows any
   * certificate of the platform CA.
   */
  allowedCallers?: readonly string[]
}

/** Either mutual TLS, or plaintext, which a deployment must ask for by name (GRPC_TLS=off). */
export type GrpcTlsSetting = GrpcTls | 'off'

export const GRPC_TLS_ENV = {
  GRPC_TLS: { type: 'enum', values: ['on', 'off'], default: 'on' },
  GRPC_TLS_CA: { type: 'string' },
  GRPC_TLS_CERT: { type: 'string' },
  GRPC_TLS_KEY: { type: 'string' },
  GRPC_TLS_ALLOWED_CALLERS: { type: 'string' },
} as const

/**
 * The gRPC TLS setting from the environment: GRPC_TLS_CA, GRPC_TLS_CERT and GRPC_TLS_KEY
 * name PEM files (a Kubernetes secret mounted as files works as is); GRPC_TLS_ALLOWED_CALLERS
 * is a comma-separated list of caller names. GRPC_TLS=off is the only way to plaintext.
 */
export function grpcTlsFromEnv(env: Env): GrpcTlsSetting {
  const c = readConfig(env, GRPC_TLS_ENV)
  if (c.GRPC_TLS === 'off') return 'off'
  const problems: string[] = []
  const read = (name: 'GRPC_TLS_CA' | 'GRPC_TLS_CERT' | 'GRPC_TLS_KEY'): Buffer => {
    const path = c[name]
    if (!path) {
      problems.push(`${name}: required for mutual TLS between services (a PEM file; or GRPC_TLS=off for plaintext)`)
      return Buffer.alloc(0)
    }
    try {
      return readFileSync(path)
    } catch (err) {
      problems.push(`${name}: cannot read ${path} (${(err as Error).message})`)
      return Buffer.alloc(0)
    }
  }
  const tls: GrpcTls = { ca: read('GRPC_TLS_CA'), cert: read('GRPC_TLS_CERT'), key: read('GRPC_TLS_KEY') }
  if (problems.length > 0) throw new ConfigError(problems)
  const callers = c.GRPC_TLS_ALLOWED_CALLERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (callers) tls.allowedCallers = callers
  return tls
}

export function serverCredentials(setting: GrpcTlsSetting): grpc.ServerCredentials {
  if (setting === 'off') return grpc.ServerCredentials.createInsecure()
  // true: a client without a certificate of the CA fails the handshake.
  return grpc.ServerCredentials.createSsl(setting.ca, [{ cert_chain: setting.cert, private_key: setting.key }], true)
}

/**
 * Credentials to call the service named `serverName`: the server must show a certificate of
 * the platform CA carrying that name, so one service cannot pose as another.
 */
export function channelCredentials(setting: GrpcTlsSetting, serverName: string): { credentials: grpc.ChannelCredentials; options: object } {
  if (setting === 'off') return { credentials: grpc.credentials.createInsecure(), options: {} }
  return {
    credentials: grpc.credentials.createSsl(setting.ca, setting.key, setting.cert),
    // The address is often an IP or a load balancer's name; the service's name is what its certificate vouches for.
    options: { 'grpc.ssl_target_name_override': serverName, 'grpc.default_authority': serverName },
  }
}

/** The names a peer certificate vouches for: its CN and its DNS subject alternative names. */
export function certificateNames(cert: PeerCertificate | undefined): string[] {
  if (!cert) return []
  const names = new Set<string>()
  const cn = cert.subject?.CN
  if (typeof cn === 'string') names.add(cn)
  else if (Array.isArray(cn)) for (const n of cn) names.add(n)
  for (const part of (cert.subjectaltname ?? '').split(',')) {
    const m = /^\s*DNS:(.+)$/.exec(part)
    if (m) names.add(m[1]!.trim())
  }
  return [...names]
}
