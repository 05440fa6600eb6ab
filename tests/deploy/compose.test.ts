// deploy/compose.yaml as docker-compose resolves it (anchors merged, variables from .env.example
// substituted): every service of scripts/topology.ts is there with every variable its code reads,
// its ports, a health check, and the start-up order of SPEC §6; Prometheus scrapes each of them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { parse } from 'yaml'
import { serviceEnv } from '../../scripts/platform.js'
import { TOPOLOGY } from '../../scripts/topology.js'
import { repoPath, serviceVariables } from './service-env.js'

interface ComposeService {
  environment?: Record<string, string | number | null>
  secrets?: { source: string; target?: string }[]
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
  image?: string
}

async function resolvedCompose(): Promise<{ services: Record<string, ComposeService>; secrets: Record<string, { file: string }> }> {
  // docker-compose (Debian's 1.29, installed by .ci/run) validates the file and resolves it; no engine is needed.
  const { stdout } = await promisify(execFile)(
    'docker-compose',
    ['-f', repoPath('deploy/compose.yaml'), '--env-file', repoPath('deploy/.env.example'), 'config'],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  )
  return parse(stdout)
}

test('when compose is resolved, then every service of the topology is there with every variable its code reads, and nothing else runs our image', async () => {
  const [compose, variables] = await Promise.all([resolvedCompose(), Promise.resolve(serviceVariables())])
  for (const spec of TOPOLOGY) {
    const service = compose.services[spec.name]
    assert.ok(service, `${spec.name} is missing from deploy/compose.yaml`)
    const env = service.environment ?? {}
    const missing = variables.get(spec.name)!.filter((v) => !(v in env) && !(`${v}_FILE` in env))
    assert.deepEqual(missing, [], `${spec.name} reads these variables, absent from its compose environment`)
    assert.equal(env.SERVICE, spec.name)
    assert.equal(env.NODE_ENV, 'production')
    const started = serviceEnv(
      spec,
      { serverUrl: 'postgres://localhost/postgres', logDir: '/nonexistent', env: { GRPC_TLS: 'off' } },
      new Map(),
    )
    for (const [name, value] of Object.entries(spec.processEnv ?? {})) {
      assert.equal(started[name], value, `npm start runs ${spec.name} with ${name}=${value}`)
      assert.equal(String(env[name]), value, `${spec.name} runs with ${name}=${value} as npm start runs it`)
    }
    assert.ok(service.healthcheck?.test.join(' ').includes('healthcheck.mjs'), `${spec.name} has the image's health check`)
  }
  const ours = Object.entries(compose.services).filter(([, s]) => s.image === compose.services['gateway']!.image)
  assert.deepEqual(ours.map(([n]) => n).sort(), TOPOLOGY.map((s) => s.name).sort())
})

test('when compose is resolved, then each service listens on its topology ports and the gateway finds its callees there', async () => {
  const { services } = await resolvedCompose()
  for (const spec of TOPOLOGY) {
    const env = services[spec.name]!.environment!
    if (spec.name === 'gateway') {
      assert.equal(String(env.PORT), String(spec.httpPort))
      assert.equal(String(env.OPS_PORT), String(spec.opsPort))
    } else {
      assert.equal(String(env.HTTP_PORT), String(spec.httpPort))
      assert.equal(String(env.GRPC_PORT), String(spec.grpcPort))
    }
    for (const callee of spec.calls) {
      const c = TOPOLOGY.find((s) => s.name === callee)!
      assert.equal(env[`${callee.toUpperCase().replaceAll('-', '_')}_GRPC_URL`], `${callee}:${c.grpcPort}`)
    }
  }
})

test('when compose is resolved, then each service speaks mutual TLS with its own certificate and takes gRPC calls only from its callers in the topology', async () => {
  const { services, secrets } = await resolvedCompose()
  for (const spec of TOPOLOGY) {
    const service = services[spec.name]!
    const env = service.environment!
    assert.equal(env.GRPC_TLS, 'on', `${spec.name} runs gRPC over mutual TLS`)
    // Each file variable names a mounted secret, and that secret is the file `npm run certs` writes for this service.
    const mounted = new Map((service.secrets ?? []).map((s) => [`/run/secrets/${s.target ?? s.source}`, s.source]))
    const files = { GRPC_TLS_CA: 'ca.pem', GRPC_TLS_CERT: `${spec.name}.pem`, GRPC_TLS_KEY: `${spec.name}-key.pem` }
    for (const [variable, file] of Object.entries(files)) {
      const source = mounted.get(String(env[variable]))
      assert.ok(source, `${spec.name}: ${variable}=${env[variable]} is one of its mounted secrets`)
      assert.equal(secrets[source]!.file, repoPath('deploy/secrets/grpc', file), `${spec.name}: ${variable}`)
    }
    for (const s of service.secrets ?? [])
      assert.ok(!secrets[s.source]!.file.endsWith('ca-key.pem'), `${spec.name}: the CA's key stays on the host`)
    const callers = TOPOLOGY.filter((s) => s.calls.includes(spec.name)).map((s) => s.name)
    assert.deepEqual(
      String(env.GRPC_TLS_ALLOWED_CALLERS ?? '')
        .split(',')
        .filter(Boolean)
        .sort(),
      callers.sort(),
      `${spec.name} takes calls from the services that call it`,
    )
  }
})

test('when compose is resolved, then services start after the infrastructure and after every service they call is healthy (SPEC §6)', async () => {
  const { services } = await resolvedCompose()
  for (const spec of TOPOLOGY) {
    const deps = services[spec.name]!.depends_on ?? {}
    for (const infra of ['postgres', 'kafka', 'schema-registry'])
      assert.equal(deps[infra]?.condition, 'service_healthy', `${spec.name} waits for ${infra}`)
    for (const callee of spec.calls) assert.equal(deps[callee]?.condition, 'service_healthy', `${spec.name} waits for ${callee}`)
  }
  for (const infra of [
    'postgres',
    'kafka',
    'schema-registry',
    'redis',
    'keycloak',
    'mailpit',
    'prometheus',
    'grafana',
    'otel-collector',
    'jaeger',
  ])
    assert.ok(services[infra]?.healthcheck, `${infra} is there with a health check`)
})

test("when Prometheus's compose configuration is read, then it scrapes every service's metrics port (the gateway's operations port)", async () => {
  const config = parse(await readFile(repoPath('deploy/prometheus/prometheus.yml'), 'utf8'))
  const targets = config.scrape_configs.flatMap((j: { static_configs: { targets: string[] }[] }) =>
    j.static_configs.flatMap((c) => c.targets),
  )
  assert.deepEqual(targets.sort(), TOPOLOGY.map((s) => `${s.name}:${s.opsPort ?? s.httpPort}`).sort())
})
