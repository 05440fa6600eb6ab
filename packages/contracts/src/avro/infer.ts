// Avro schemas are written as `as const` objects so that their TypeScript data
// types can be computed from them: the schema is the single source of truth and
// the types cannot drift from what goes on the wire.

export type AvroPrimitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string'

export interface AvroField {
  readonly name: string
  readonly type: AvroSchema
  readonly doc?: string
  readonly default?: unknown
}

export interface AvroRecord {
  readonly type: 'record'
  readonly name: string
  readonly namespace?: string
  readonly doc?: string
  readonly fields: readonly AvroField[]
}

export interface AvroEnum {
  readonly type: 'enum'
  readonly name: string
  readonly namespace?: string
  readonly doc?: string
  readonly symbols: readonly string[]
  readonly default?: string
}

export interface AvroArray {
  readonly type: 'array'
  readonly items: AvroSchema
}

export interface AvroMap {
  readonly type: 'map'
  readonly values: AvroSchema
}

/** A primitive, optionally annotated with a logical type (`uuid`, `iso-datetime`). */
export interface AvroAnnotated {
  readonly type: AvroPrimitive
  readonly logicalType?: string
}

export type AvroSchema = AvroPrimitive | AvroRecord | AvroEnum | AvroArray | AvroMap | AvroAnnotated | readonly AvroSchema[]

type Simplify<T> = { [K in keyof T]: T[K] } & {}

type InferRecord<F extends readonly AvroField[]> = Simplify<{
  -readonly [Field in F[number] as Field['name']]: InferAvro<Field['type']>
}>

/**
 * The JavaScript value avsc reads and writes for schema `S` (with unwrapped
 * unions and our logical types, which keep their underlying representation).
 * A bare name reference maps to `never` on purpose: schemas in this package
 * inline shared types and let `normalizeSchema` turn repeats into references.
 */
export type InferAvro<S> = S extends readonly unknown[]
  ? InferAvro<S[number]>
  : S extends 'null'
    ? null
    : S extends 'boolean'
      ? boolean
      : S extends 'int' | 'long' | 'float' | 'double'
        ? number
        : S extends 'string'
          ? string
          : S extends 'bytes'
            ? Buffer
            : S extends { readonly type: 'record'; readonly fields: infer F extends readonly AvroField[] }
              ? InferRecord<F>
              : S extends { readonly type: 'enum'; readonly symbols: infer Y extends readonly string[] }
                ? Y[number]
                : S extends { readonly type: 'array'; readonly items: infer I }
                  ? InferAvro<I>[]
                  : S extends { readonly type: 'map'; readonly values: infer V }
                    ? { [key: string]: InferAvro<V> }
                    : S extends { readonly type: infer P extends AvroPrimitive }
                      ? InferAvro<P>
                      : never
