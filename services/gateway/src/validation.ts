import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify'
import { AjvCompiler as createAjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

// Fastify's default Ajv options coerce types everywhere and silently drop unknown
// properties (removeAdditional). The API must refuse both in a JSON body ("10" is not an
// amount, an unknown field is a mistake worth reporting), while a query string or path
// parameter arrives as text and needs coercion. So the gateway compiles its schemas with
// two Ajv configurations from fastify's own compiler package (the same major version
// fastify uses, so the same Ajv and formats).
type RouteSchema = { schema: object; method: string; url: string; httpPart?: string }
type BuildCompiler = (
  externals: object,
  options: { customOptions: object },
) => (route: RouteSchema) => ReturnType<FastifySchemaCompiler<object>>

const AjvCompiler = createAjvCompiler as unknown as () => BuildCompiler

const common = {
  removeAdditional: false,
  useDefaults: true,
  // Every bad field at once; bodies are capped at 16 KiB, so this cannot be abused.
  allErrors: true,
  strict: true,
}

export function createValidatorCompiler(): FastifySchemaCompiler<object> {
  const build = AjvCompiler()
  const forBody = build({}, { customOptions: { ...common, coerceTypes: false } })
  // `true`, not fastify's 'array': a repeated query parameter is an error, not a list.
  const forText = build({}, { customOptions: { ...common, coerceTypes: true } })
  return (route) => (route.httpPart === 'body' ? forBody(route) : forText(route))
}

type BuildSerializer = (externals: object, options: object) => FastifySerializerCompiler<object>
const buildSerializers = SerializerSelector as unknown as () => BuildSerializer

/**
 * Fastify's own serializer compiler (fast-json-stringify), keeping each serializer by the
 * response schema object it was built from: the /api alias declares every route of /api/v1 again
 * with the same schemas, and each built serializer holds generated code and an Ajv instance of
 * its own (≈ 0.5 MB of an idle gateway's heap for the second copy).
 */
export function createSerializerCompiler(): FastifySerializerCompiler<object> {
  const build = buildSerializers()({}, {})
  const built = new WeakMap<object, ReturnType<FastifySerializerCompiler<object>>>()
  return (route) => {
    let serialize = built.get(route.schema)
    if (!serialize) built.set(route.schema, (serialize = build(route)))
    return serialize
  }
}

// With the u flag a surrogate pair reads as one (astral) code point: only a lone one is Cs.
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Where a JSON body holds a string that is not well-formed UTF-16 (a lone surrogate, which
 * JSON's `\ud800` escape can write): such a string has no UTF-8 form, so the gRPC call would
 * carry replacement characters in its place and the service would store text the client never
 * sent. The fields are named as schema errors name them (body.preferences.1.eventType).
 */
export function illFormedStrings(value: unknown, path = 'body'): string[] {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? [path] : []
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => illFormedStrings(v, `${path}.${k}`))
}
