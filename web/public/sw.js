/* global self */
// The service worker web push needs: shows each message the notification service pushes
// ({ notificationId, eventType, title, body }) and opens the notifications page when clicked.
self.addEventListener('push', (event) => {
  let message = { title: 'Brokerage', body: '' }
  try {
    message = { ...message, ...event.data.json() }
  } catch {
    message.body = event.data ? event.data.text() : ''
  }
  event.waitUntil(self.registration.showNotification(message.title, { body: message.body, tag: message.notificationId }))
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  event.waitUntil(self.clients.openWindow('/notifications'))
})
