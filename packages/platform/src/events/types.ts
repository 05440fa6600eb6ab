/** The envelope shape as the platform sees it; the contracts package gives each type its data. */
export interface EventEnvelope<T extends string = string, D = unknown> {
  id: string
  type: T
  version: number
  occurredAt: string
  key: string
  correlationId: string
  causationId: string | null
  traceparent: string | null
  data: D
}

/** Encodes envelopes to wire bytes (validating them) and back; the contracts package provides it. */
export interface EventCodec {
  encode(envelope: EventEnvelope): Promise<Buffer>
  decode(bytes: Buffer): Promise<EventEnvelope>
  topicOf(type: string): string
}

export const EVENT_HEADERS = {
  id: 'event-id',
  type: 'event-type',
  traceparent: 'traceparent',
  correlationId: 'correlation-id',
} as const
