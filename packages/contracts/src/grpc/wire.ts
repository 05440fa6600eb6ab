// gRPC wire compatibility, as the Avro check (../compat) does for events: the protos'
// messages, enums and methods are kept as a committed snapshot (proto/published/wire.json),
// and a change that would break a peer still built on it is refused. Within a v1 package a
// field number keeps its type, label and name for ever; a field or enum value that goes
// away leaves its number reserved; messages, services and methods are not removed.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, isAbsolute, join } from 'node:path'
import protobuf from 'protobufjs'
import { PROTO_DIR, PROTO_NAMES } from './proto.js'

export const PUBLISHED_WIRE = fileURLToPath(new URL('../../proto/published/wire.json', import.meta.url))

export interface WireField {
  name: string
  /** The scalar type, or `message` / `enum` with typeName. */
  type: string
  label: 'singular' | 'repeated' | 'map'
  /** The message or enum type's full name. */
  typeName?: string
}

interface Reserved {
  /** Inclusive [first, last] pairs. */
  reservedNumbers: Array<[number, number]>
  reservedNames: string[]
}

export interface WireMessage extends Reserved {
  fields: Record<string, WireField>
}

export interface WireEnum extends Reserved {
  values: Record<string, string>
}

export interface WireMethod {
  request: string
  response: string
  requestStream: boolean
  responseStream: boolean
}

export interface WireSnapshot {
  messages: Record<string, WireMessage>
  enums: Record<string, WireEnum>
  services: Record<string, Record<string, WireMethod>>
}

const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)))
const fullName = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\./, '')

/** protobufjs keeps reserved numbers as inclusive [first, last] pairs, and reserved names as strings. */
function reserved(r: Array<number[] | string> | undefined): Reserved {
  return {
    reservedNumbers: (r ?? []).filter((x): x is number[] => Array.isArray(x)).map(([a, b]) => [a!, b!] as [number, number]),
    reservedNames: (r ?? []).filter((x): x is string => typeof x === 'string').sort(),
  }
}

/** The wire-relevant shape of every proto of the contracts. */
export function describeProtos(): WireSnapshot {
  return describeFiles(PROTO_NAMES.map((name) => join(PROTO_DIR, `${name}.proto`)))
}

/**
 * The wire-relevant shape of .proto files, read with protobufjs (the parser under
 * proto-loader), whose reflection keeps what a descriptor from proto-loader loses (an enum's reserved numbers).
 */
export function describeFiles(files: string[]): WireSnapshot {
  const root = new protobuf.Root()
  root.resolvePath = (origin, target) => (isAbsolute(target) ? target : join(dirname(origin || files[0]!), target))
  root.loadSync(files, { keepCase: true }).resolveAll()
  const out: WireSnapshot = { messages: {}, enums: {}, services: {} }
  const visit = (ns: protobuf.NamespaceBase) => {
    for (const o of ns.nestedArray) {
      if (o instanceof protobuf.Type) {
        const fields: Record<string, WireField> = {}
        for (const f of o.fieldsArray) {
          const typeName = f.resolvedType ? fullName(f.resolvedType) : undefined
          const kind = !typeName ? f.type : f.resolvedType instanceof protobuf.Enum ? 'enum' : 'message'
          fields[f.id] = {
            name: f.name,
            type: f instanceof protobuf.MapField ? `map<${f.keyType}, ${kind}>` : kind,
            label: f.map ? 'map' : f.repeated ? 'repeated' : 'singular',
            ...(typeName ? { typeName } : {}),
          }
        }
        out.messages[fullName(o)] = { fields, ...reserved(o.reserved) }
      } else if (o instanceof protobuf.Enum) {
        out.enums[fullName(o)] = {
          values: Object.fromEntries(Object.entries(o.values).map(([name, n]) => [String(n), name])),
          ...reserved(o.reserved),
        }
      } else if (o instanceof protobuf.Service) {
        const methods: Record<string, WireMethod> = {}
        for (const m of o.methodsArray) {
          methods[m.name] = {
            request: fullName(m.resolvedRequestType!),
            response: fullName(m.resolvedResponseType!),
            requestStream: Boolean(m.requestStream),
            responseStream: Boolean(m.responseStream),
          }
        }
        out.services[fullName(o)] = sorted(methods)
      }
      if (o instanceof protobuf.Namespace || o instanceof protobuf.Type) visit(o)
    }
  }
  visit(root)
  return { messages: sorted(out.messages), enums: sorted(out.enums), services: sorted(out.services) }
}

const isReserved = (r: Reserved, n: number) => r.reservedNumbers.some(([a, b]) => n >= a && n <= b)

/** Why `current` would break a peer built on `published`; none when it is wire compatible. */
export function wireProblems(published: WireSnapshot, current: WireSnapshot): string[] {
  const problems: string[] = []
  for (const [name, old] of Object.entries(published.messages)) {
    const now = current.messages[name]
    if (!now) {
      problems.push(`message ${name} removed`)
      continue
    }
    for (const [n, was] of Object.entries(old.fields)) {
      const is = now.fields[n]
      if (!is) {
        if (!isReserved(now, Number(n))) problems.push(`${name} field ${n} (${was.name}) removed without reserving ${n}`)
        continue
      }
      if (is.name !== was.name) problems.push(`${name} field ${n} renamed from ${was.name} to ${is.name}`)
      const shape = (f: WireField) => `${f.label === 'singular' ? '' : `${f.label} `}${f.typeName ?? f.type}`
      if (shape(is) !== shape(was) || is.type !== was.type)
        problems.push(`${name} field ${n} (${was.name}) changed from ${shape(was)} to ${shape(is)}`)
    }
    for (const [n, is] of Object.entries(now.fields)) {
      if (!old.fields[n] && isReserved(old, Number(n))) problems.push(`${name} field ${n} (${is.name}) reuses a reserved number`)
    }
  }
  for (const [name, old] of Object.entries(published.enums)) {
    const now = current.enums[name]
    if (!now) {
      problems.push(`enum ${name} removed`)
      continue
    }
    for (const [n, was] of Object.entries(old.values)) {
      const is = now.values[n]
      if (is === undefined && !isReserved(now, Number(n))) problems.push(`${name} value ${n} (${was}) removed without reserving ${n}`)
      else if (is !== undefined && is !== was) problems.push(`${name} value ${n} renamed from ${was} to ${is}`)
    }
  }
  for (const [service, methods] of Object.entries(published.services)) {
    const now = current.services[service]
    if (!now) {
      problems.push(`service ${service} removed`)
      continue
    }
    for (const [method, was] of Object.entries(methods)) {
      const is = now[method]
      if (!is) problems.push(`method ${service}.${method} removed`)
      else if (JSON.stringify(is) !== JSON.stringify(was))
        problems.push(`method ${service}.${method} changed from ${JSON.stringify(was)} to ${JSON.stringify(is)}`)
    }
  }
  return problems
}

export function readPublishedWire(path = PUBLISHED_WIRE): WireSnapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as WireSnapshot
}

// `npx tsx packages/contracts/src/grpc/wire.ts` records the current protos as published,
// once they are compatible with what was published before.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const current = describeProtos()
  let problems: string[] = []
  try {
    problems = wireProblems(readPublishedWire(), current)
  } catch {
    // No snapshot yet: the first one is written.
  }
  if (problems.length > 0) {
    console.error(`Not written; the protos break wire compatibility:\n  ${problems.join('\n  ')}`)
    process.exit(1)
  }
  writeFileSync(PUBLISHED_WIRE, `${JSON.stringify(current, null, 2)}\n`)
  console.log(`wrote ${PUBLISHED_WIRE}`)
}
