import avro from 'avsc'
import type { Type } from 'avsc'
import { LOGICAL_TYPES } from './logical-types.js'

const NAMED = new Set(['record', 'error', 'enum', 'fixed'])

type Node = Record<string, unknown>

function fullNameOf(node: Node, enclosingNamespace: string | undefined): { fullName: string; namespace: string | undefined } {
  const name = String(node['name'])
  if (name.includes('.')) return { fullName: name, namespace: name.slice(0, name.lastIndexOf('.')) }
  const namespace = typeof node['namespace'] === 'string' ? node['namespace'] : enclosingNamespace
  return { fullName: namespace ? `${namespace}.${name}` : name, namespace }
}

/**
 * Avro forbids defining a named type twice in one schema, yet our sources reuse
 * shared constants (Side, Tier, …) wherever they are needed so that the
 * TypeScript types can be inferred without resolving names. This keeps the
 * first definition and turns every later identical one into a reference; two
 * different definitions under one name are a programmer error.
 */
export function normalizeSchema(schema: unknown): unknown {
  const defined = new Map<string, string>()

  const walk = (node: unknown, namespace: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((branch) => walk(branch, namespace))
    if (node === null || typeof node !== 'object') return node
    const n = node as Node
    const type = n['type']

    if (typeof type === 'string' && NAMED.has(type)) {
      const { fullName, namespace: own } = fullNameOf(n, namespace)
      const json = JSON.stringify(n)
      const previous = defined.get(fullName)
      if (previous !== undefined) {
        if (previous !== json) throw new Error(`Avro type ${fullName} is defined twice, differently`)
        return fullName
      }
      defined.set(fullName, json)
      if (!Array.isArray(n['fields'])) return { ...n }
      const fields = (n['fields'] as Node[]).map((field) => ({ ...field, type: walk(field['type'], own) }))
      return { ...n, fields }
    }
    if (type === 'array') return { ...n, items: walk(n['items'], namespace) }
    if (type === 'map') return { ...n, values: walk(n['values'], namespace) }
    if (typeof type === 'object') return { ...n, type: walk(type, namespace) }
    return { ...n }
  }

  return walk(schema, undefined)
}

/**
 * The one way to turn a schema into an avsc Type in this platform: with our
 * logical types, and unions unwrapped so values look like `InferAvro` says
 * (an ambiguous union then fails here, loudly, instead of on the wire).
 * Also what a Confluent registry client must use for schemas it fetches.
 */
export function parseSchema(schema: unknown): Type {
  return avro.Type.forSchema(normalizeSchema(schema) as Parameters<typeof avro.Type.forSchema>[0], {
    logicalTypes: LOGICAL_TYPES,
    wrapUnions: false,
    assertLogicalTypes: true,
  })
}
