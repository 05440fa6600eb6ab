// Event schemas (Avro), their wire format, the gRPC protos and the shared vocabulary:
// the contracts between the platform's services. No domain logic lives here.

export type { AvroSchema, AvroRecord, AvroEnum, AvroField, InferAvro } from './avro/infer.js'
export { isUuid, isIsoDateTime } from './avro/logical-types.js'

export {
  ASSET_NAME,
  ASSET_NAME_PATTERN,
  ASSET_NAME_RULE,
  CASH_ASSET,
  isInstantInRange,
  MAX_AMOUNT,
  SIDES,
  TIERS,
  CUSTOMER_STATUSES,
  ORDER_STATUSES,
  MOVEMENT_KINDS,
  MOVEMENT_STATUSES,
  type Side,
  type Tier,
  type CustomerStatus,
  type OrderStatus,
  type MovementKind,
  type MovementStatus,
} from './vocabulary.js'
export { normalizeSchema, parseSchema } from './avro/parse.js'

export { TOPICS, TOPIC_KEY, type Topic, type TopicName, type KeyField } from './events/topics.js'
export {
  EVENTS,
  EVENT_TYPES,
  isEventType,
  topicOf,
  keyOf,
  versionOf,
  eventsOn,
  type EventType,
  type EventData,
  type EventTopic,
  type Producer,
} from './events/catalogue.js'
export { ENVELOPE_FIELDS, envelopeSchema, currentSchemaOf, avroTypeOf } from './events/envelope-schema.js'
export { newEnvelope, type Envelope, type AnyEnvelope, type NewEnvelopeOptions } from './events/envelope.js'
export { validateEnvelope, envelopeIssues } from './events/validate.js'

export { SchemaValidationError, MalformedEventError, UnknownSchemaError, type SchemaIssue } from './errors.js'
export { REGISTRY_IDS } from './registry-ids.js'
export {
  createLocalRegistry,
  registryIdProblems,
  type SchemaRegistry,
  type RegisteredSchema,
  type LocalRegistryOptions,
} from './wire/registry.js'
export { createCodec, type Codec } from './wire/codec.js'

export { PUBLISHED_DIR, readPublished, readPublishedSchema, snapshotFileName, writeMissingSnapshots } from './compat/published.js'
export {
  checkBackwardCompatible,
  compatibilityProblems,
  sameWireSchema,
  type Compatibility,
  type CompatibilityOptions,
} from './compat/compat.js'

export { PROTO_DIR, PROTO_NAMES, PROTO_LOADER_OPTIONS, loadProto, type ProtoName } from './grpc/proto.js'
