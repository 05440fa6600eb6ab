// The few OpenTelemetry semantic-convention attribute names the platform records (all stable).
// Importing @opentelemetry/semantic-conventions for them loaded its whole table of names
// (MB of strings) into every service.
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method'
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code'
export const ATTR_HTTP_ROUTE = 'http.route'
export const ATTR_URL_PATH = 'url.path'
