import { NAMESPACE, timestamp, uuid } from './common.js'

// Produced by the notification service on `notification.events`, keyed by customerId.
// The WebSocket channel: every gateway instance reads this topic from its end and forwards
// each notification to the sockets of its customer (and of whoever watches that customer).

export const NotificationCreated = {
  type: 'record',
  name: 'NotificationCreated',
  namespace: NAMESPACE,
  doc: 'A notification recorded for a customer whose WEBSOCKET preference for the event type is on.',
  fields: [
    { name: 'notificationId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'eventId', type: uuid, doc: 'The event the notification tells about.' },
    { name: 'eventType', type: 'string' },
    { name: 'title', type: 'string' },
    { name: 'body', type: 'string' },
    { name: 'createdAt', type: timestamp },
  ],
} as const
