import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type * as pb from '@brokerage/contracts/grpc'
import * as json from '../json.js'
import { actorOf, principalOf } from '../request-context.js'
import {
  body,
  channel,
  type Channel,
  contactJson,
  errorResponses,
  idParams,
  LOCALES,
  notificationJson,
  pageOf,
  pageQuery,
  phone,
  preferencesJson,
  pushSubscriptionJson,
  query,
  responses,
  uuid,
} from '../schemas.js'
import { doc, type RouteDeps } from './deps.js'

type ListNotifications = { Querystring: { customerId?: string; page: number; size: number } }
type GetPreferences = { Querystring: { customerId?: string } }
type SetPreferences = {
  Body: { customerId?: string; preferences: Array<{ eventType: string; channel: Channel; enabled: boolean }> }
}
type GetContact = { Querystring: { customerId?: string } }
type SetContact = { Body: { customerId?: string; phone?: string | null; locale?: string } }
type AddPushSubscription = { Body: { customerId?: string; endpoint: string; keys: { p256dh: string; auth: string } } }
type RemovePushSubscription = { Params: { id: string }; Querystring: { customerId?: string } }

export function notificationRoutes({ clients, access }: RouteDeps): FastifyPluginAsync {
  return async (api) => {
    api.get<ListNotifications>('/notifications', { schema: schemas.listNotifications }, listNotifications)
    api.get<GetPreferences>('/notifications/preferences', { schema: schemas.getPreferences }, getPreferences)
    api.put<SetPreferences>('/notifications/preferences', { schema: schemas.setPreferences }, setPreferences)
    api.get<GetContact>('/notifications/contact', { schema: schemas.getContact }, getContact)
    api.put<SetContact>('/notifications/contact', { schema: schemas.setContact }, setContact)
    api.post<AddPushSubscription>('/notifications/push-subscriptions', { schema: schemas.addPushSubscription }, addPushSubscription)
    api.delete<RemovePushSubscription>(
      '/notifications/push-subscriptions/:id',
      { schema: schemas.removePushSubscription },
      removePushSubscription,
    )
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

  async function getContact(req: FastifyRequest<GetContact>) {
    const customerId = await access.target(principalOf(req), req.query.customerId, 'querystring.customerId')
    return contactOut(await clients.call('notification', 'GetContact', { customer_id: customerId }))
  }

  async function setContact(req: FastifyRequest<SetContact>) {
    const customerId = await access.target(principalOf(req), req.body.customerId, 'body.customerId')
    const res = await clients.call('notification', 'SetContact', {
      actor: actorOf(req),
      customer_id: customerId,
      set_phone: req.body.phone !== undefined,
      phone: req.body.phone ?? '',
      locale: req.body.locale ?? '',
    })
    return contactOut(res)
  }

  async function addPushSubscription(req: FastifyRequest<AddPushSubscription>, reply: FastifyReply) {
    const customerId = await access.target(principalOf(req), req.body.customerId, 'body.customerId')
    const res = await clients.call('notification', 'AddPushSubscription', {
      actor: actorOf(req),
      customer_id: customerId,
      endpoint: req.body.endpoint,
      p256dh: req.body.keys.p256dh,
      auth: req.body.keys.auth,
    })
    return reply.code(201).send(subscriptionOut(res))
  }

  async function removePushSubscription(req: FastifyRequest<RemovePushSubscription>, reply: FastifyReply) {
    const customerId = await access.target(principalOf(req), req.query.customerId, 'querystring.customerId')
    await clients.call('notification', 'RemovePushSubscription', { actor: actorOf(req), customer_id: customerId, id: req.params.id })
    return reply.code(204).send()
  }
}

const subscriptionOut = (s: pb.PushSubscription__Output) => ({ id: s.id, endpoint: s.endpoint, createdAt: s.created_at })
const contactOut = (c: pb.Contact__Output) => ({
  customerId: c.customer_id,
  email: c.email || null,
  phone: c.phone || null,
  locale: c.locale,
  pushSubscriptions: c.push_subscriptions.map(subscriptionOut),
  vapidPublicKey: c.vapid_public_key,
})

const base64url = (bytes: number) =>
  ({
    type: 'string',
    pattern: '^[A-Za-z0-9_-]+={0,2}$',
    minLength: Math.floor((bytes * 4) / 3),
    maxLength: Math.ceil((bytes * 4) / 3) + 2,
  }) as const

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
  getContact: {
    ...doc('notifications', 'Contact details: email (from the customer), phone, locale, push subscriptions, the VAPID public key'),
    querystring: query(customerQuery),
    response: responses(200, contactJson, 'The contact details'),
  },
  setContact: {
    ...doc('notifications', 'Set the phone (null removes it) and the locale of the messages; the email is the customer’s own'),
    body: body({ ...customerQuery, phone: { ...phone, type: ['string', 'null'] }, locale: { type: 'string', enum: LOCALES } }),
    response: responses(200, contactJson, 'The contact details after the change'),
  },
  addPushSubscription: {
    ...doc('notifications', "Register a browser's push subscription (PushSubscription.toJSON())"),
    body: body(
      {
        ...customerQuery,
        endpoint: { type: 'string', format: 'uri', pattern: '^https://', maxLength: 2000 },
        keys: body({ p256dh: base64url(65), auth: base64url(16) }, ['p256dh', 'auth']),
      },
      ['endpoint', 'keys'],
    ),
    response: responses(201, pushSubscriptionJson, 'The subscription'),
  },
  removePushSubscription: {
    ...doc('notifications', 'Remove a push subscription'),
    params: idParams,
    querystring: query(customerQuery),
    response: { 204: { description: 'Removed', type: 'null' }, ...errorResponses },
  },
}
