import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import * as json from '../json.js'
import { actorOf, principalOf } from '../request-context.js'
import { body, channel, type Channel, notificationJson, pageOf, pageQuery, preferencesJson, query, responses, uuid } from '../schemas.js'
import { doc, type RouteDeps } from './deps.js'

type ListNotifications = { Querystring: { customerId?: string; page: number; size: number } }
type GetPreferences = { Querystring: { customerId?: string } }
type SetPreferences = {
  Body: { customerId?: string; preferences: Array<{ eventType: string; channel: Channel; enabled: boolean }> }
}

export function notificationRoutes({ clients, access }: RouteDeps): FastifyPluginAsync {
  return async (api) => {
    api.get<ListNotifications>('/notifications', { schema: schemas.listNotifications }, listNotifications)
    api.get<GetPreferences>('/notifications/preferences', { schema: schemas.getPreferences }, getPreferences)
    api.put<SetPreferences>('/notifications/preferences', { schema: schemas.setPreferences }, setPreferences)
  }

  async function listNotifications(req: FastifyRequest<ListNotifications>) {
    const customerId = await access.target(principalOf(req), req.query.customerId, 'querystring.customerId')
    const res = await clients.call('notification', 'ListNotifications', {
      customer_id: customerId,
      page: { page: req.query.page, size: req.query.size },
    })
    return json.page(res, json.notification, req.query)
  }

  async function getPreferences(req: FastifyRequest<GetPreferences>) {
    const customerId = await access.target(principalOf(req), req.query.customerId, 'querystring.customerId')
    return json.preferences(await clients.call('notification', 'GetPreferences', { customer_id: customerId }))
  }

  async function setPreferences(req: FastifyRequest<SetPreferences>) {
    const customerId = await access.target(principalOf(req), req.body.customerId, 'body.customerId')
    const res = await clients.call('notification', 'SetPreferences', {
      actor: actorOf(req),
      customer_id: customerId,
      preferences: req.body.preferences.map((x) => ({ event_type: x.eventType, channel: x.channel, enabled: x.enabled })),
    })
    return json.preferences(res)
  }
}

const eventType = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Z][A-Za-z0-9]*$' } as const

// A customer reads their own; staff name the customer (who must be theirs to act on).
const customerQuery = { customerId: { ...uuid, description: "Required for staff; a customer's own by default" } }

const schemas = {
  listNotifications: {
    ...doc('notifications', 'Notifications sent to a customer, newest first'),
    querystring: query({ ...customerQuery, ...pageQuery }),
    response: responses(200, pageOf(notificationJson), 'A page of notifications'),
  },
  getPreferences: {
    ...doc('notifications', 'Delivery preferences per event type and channel'),
    querystring: query(customerQuery),
    response: responses(200, preferencesJson, 'Every (eventType, channel), defaults included'),
  },
  setPreferences: {
    ...doc('notifications', 'Replace the listed (eventType, channel) preferences; others keep their value'),
    body: body(
      {
        ...customerQuery,
        preferences: {
          type: 'array',
          minItems: 1,
          maxItems: 100,
          items: body({ eventType, channel, enabled: { type: 'boolean' } }, ['eventType', 'channel', 'enabled']),
        },
      },
      ['preferences'],
    ),
    response: responses(200, preferencesJson, 'The preferences after the change'),
  },
}
