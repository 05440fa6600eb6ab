import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** packages/contracts/proto, absolute. */
export const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url))

export const PROTO_NAMES = ['common', 'identity', 'customer', 'asset', 'order', 'processor', 'notification', 'audit'] as const
export type ProtoName = (typeof PROTO_NAMES)[number]

/**
 * int64 arrives as a JS number, like every other amount in the platform; a
 * value beyond ±(2^53−1) cannot be represented, so servers must reject any
 * int64 for which Number.isSafeInteger() is false (see common.proto).
 */
export const PROTO_LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
}

export function loadProto(name: ProtoName): PackageDefinition {
  return loadSync(join(PROTO_DIR, `${name}.proto`), PROTO_LOADER_OPTIONS)
}
