// Stable codes so the platform can map them without matching on messages:
// SCHEMA_INVALID is the producer's bug (fail the request or transaction),
// EVENT_MALFORMED is a poison message (dead-letter it), SCHEMA_UNKNOWN is a
// registry answer the codec turns into EVENT_MALFORMED. Anything else thrown by
// a registry is transient (retry), never a reason to dead-letter.

export interface SchemaIssue {
  /** Dotted path from the envelope, e.g. `data.side`; empty for the envelope itself. */
  readonly path: string
  readonly message: string
}

export class SchemaValidationError extends Error {
  readonly code = 'SCHEMA_INVALID'
  readonly eventType: string
  readonly issues: readonly SchemaIssue[]

  constructor(eventType: string, issues: readonly SchemaIssue[]) {
    const list = issues.map((issue) => `${issue.path || '(envelope)'}: ${issue.message}`).join('; ')
    super(`invalid ${eventType} event: ${list}`)
    this.name = 'SchemaValidationError'
    this.eventType = eventType
    this.issues = issues
  }
}

export class MalformedEventError extends Error {
  readonly code = 'EVENT_MALFORMED'
  /** The schema id from the frame, when the frame got that far. */
  readonly schemaId: number | undefined

  constructor(message: string, options: { schemaId?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'MalformedEventError'
    this.schemaId = options.schemaId
  }
}

export class UnknownSchemaError extends Error {
  readonly code = 'SCHEMA_UNKNOWN'

  constructor(message: string) {
    super(message)
    this.name = 'UnknownSchemaError'
  }
}
