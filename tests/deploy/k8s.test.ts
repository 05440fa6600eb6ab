// deploy/k8s rendered by `kubectl kustomize` (each overlay), every object validated against the
// Kubernetes OpenAPI schema bundled in the kubernetes-models package (types, required fields,
// enums, formats, and no field the schema does not declare; offline, no cluster), and the platform's own promises checked: a Deployment per
// service with probes on /health/*, resources, a PodDisruptionBudget, an autoscaler on CPU (and on
// consumer lag for services that consume), and no variable set that its code does not read.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { ensureDevCertificates } from '@brokerage/platform/grpc/certs'
import { parseAllDocuments } from 'yaml'
import { TOPOLOGY } from '../../scripts/topology.js'
import { repoPath, serviceVariables } from './service-env.js'

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: Record<string, string> }

async function render(overlay: string): Promise<Obj[]> {
  const { stdout } = await promisify(execFile)('kubectl', ['kustomize', repoPath('deploy/k8s/overlays', overlay)], {
    maxBuffer: 16 * 1024 * 1024,
  })
  return parseAllDocuments(stdout).map((d) => d.toJS() as Obj)
}

/**
 * Validates `o` against its kind's schema in kubernetes-models and returns the paths of the fields
 * that schema does not declare (its generated validators accept them silently, as the API server's
 * non-strict decoding drops them: a misspelled `readinesProbe` would simply be no probe). The
 * validators are ajv's compiled code, which looks up every property a schema declares and
 * enumerates the keys only of maps (labels, data); so a key of a non-map object that the validator
 * never looked up is one no schema declares: `additionalProperties: false` semantics, from the same schemas.
 */
async function validate(o: Obj): Promise<void> {
  // kustomize folds long base64 values over lines; the API server's decoder skips the newlines, the schema's "byte" format does not.
  if (o.kind === 'Secret' && o.data)
    o = { ...o, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, v.replace(/\s/g, '')])) }
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [undefined, o.apiVersion]
  const path = group ? `${group}/${version}/${o.kind}` : `${version}/${o.kind}`
  const mod = (await import(`kubernetes-models/${path}`)) as Record<string, { prototype: { validate(this: unknown): void } }>
  const looked = new Map<object, { path: string; keys: Set<PropertyKey>; enumerated: boolean }>()
  const watch = (value: unknown, at: string): unknown => {
    if (value === null || typeof value !== 'object') return value
    const seen = { path: at, keys: new Set<PropertyKey>(), enumerated: false }
    looked.set(value, seen)
    const children = new Map<PropertyKey, unknown>()
    return new Proxy(value, {
      get(target, key) {
        seen.keys.add(key)
        const child = Reflect.get(target, key) as unknown
        if (typeof key !== 'string' || child === null || typeof child !== 'object') return child
        if (!children.has(key)) children.set(key, watch(child, `${at}/${key}`))
        return children.get(key)
      },
      ownKeys(target) {
        seen.enumerated = true
        return Reflect.ownKeys(target)
      },
    })
  }
  // The model's validate runs the schema's validator on `this`: here, the watched object.
  mod[o.kind]!.prototype.validate.call(watch(o, ''))
  const unknown = [...looked]
    .filter(([value, seen]) => !Array.isArray(value) && !seen.enumerated)
    .flatMap(([value, seen]) =>
      Object.keys(value)
        .filter((k) => !seen.keys.has(k))
        .map((k) => `${seen.path}/${k}`),
    )
  if (unknown.length) throw new Error(`${o.kind}/${o.metadata.name}: fields its schema does not declare: ${unknown.join(', ')}`)
}

const variables = serviceVariables()

for (const overlay of ['dev', 'prod']) {
  test(`when the ${overlay} overlay is rendered, then every object is valid against the Kubernetes schema`, async () => {
    const objects = await render(overlay)
    assert.ok(objects.length > TOPOLOGY.length * 4)
    for (const o of objects) {
      await assert.doesNotReject(validate(o), `${o.kind}/${o.metadata.name}`)
      if (o.kind !== 'Namespace')
        assert.equal(o.metadata.namespace, overlay === 'dev' ? 'brokerage-dev' : 'brokerage', `${o.kind}/${o.metadata.name}`)
    }
  })

  test(`when the ${overlay} overlay is rendered, then each service has probes on /health/*, resources, a PDB and an autoscaler, and sets only variables it reads`, async () => {
    const objects = await render(overlay)
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)
    const common = find('ConfigMap', 'brokerage-common')!
    const readBySome = new Set([...variables.values()].flat())
    for (const key of Object.keys(common.data ?? {})) assert.ok(readBySome.has(key), `brokerage-common sets ${key}, which no service reads`)
    for (const spec of TOPOLOGY) {
      const deployment = find('Deployment', spec.name)
      assert.ok(deployment, `a Deployment for ${spec.name}`)
      const pod = deployment.spec.template.spec
      const c = pod.containers[0]
      assert.deepEqual(c.args, [spec.name])
      assert.equal(c.livenessProbe.httpGet.path, '/health/live')
      assert.equal(c.readinessProbe.httpGet.path, '/health/ready')
      assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory, `${spec.name} resources`)
      assert.equal(pod.securityContext.runAsNonRoot, true)
      const reads = new Set(variables.get(spec.name))
      for (const e of c.env as { name: string }[]) {
        const name = e.name.replace(/_FILE$/, '')
        const forProcess = e.name in (spec.processEnv ?? {})
        assert.ok(reads.has(name) || forProcess || e.name === 'SERVICE', `${spec.name} is given ${e.name}, which its code does not read`)
      }
      for (const [name, value] of Object.entries(spec.processEnv ?? {})) {
        const given = (c.env as { name: string; value?: string }[]).find((e) => e.name === name)
        assert.equal(given?.value, value, `${spec.name} runs with ${name}=${value} as npm start runs it`)
      }
      const ports = Object.fromEntries((c.ports as { name: string; containerPort: number }[]).map((p) => [p.name, p.containerPort]))
      assert.equal(ports.http, spec.httpPort)
      if (spec.grpcPort) assert.equal(ports.grpc, spec.grpcPort)
      if (spec.opsPort) assert.equal(ports.ops, spec.opsPort)
      assert.equal(deployment.spec.template.metadata.annotations['prometheus.io/port'], String(spec.opsPort ?? spec.httpPort))

      const labels = deployment.spec.template.metadata.labels
      const selects = (sel: Record<string, string>) => Object.entries(sel).every(([k, v]) => labels[k] === v)
      assert.ok(selects(find('PodDisruptionBudget', spec.name)!.spec.selector.matchLabels), `${spec.name} PDB selects its pods`)
      assert.ok(selects(find('Service', spec.name)!.spec.selector), `${spec.name} Service selects its pods`)
      const hpa = find('HorizontalPodAutoscaler', spec.name)!
      assert.equal(hpa.spec.scaleTargetRef.name, spec.name)
      const metrics = hpa.spec.metrics as { type: string; resource?: { name: string }; external?: { metric: { name: string } } }[]
      assert.ok(metrics.some((m) => m.type === 'Resource' && m.resource!.name === 'cpu'))
      if (spec.name !== 'gateway') {
        assert.ok(
          metrics.some((m) => m.external?.metric.name === 'brokerage_consumer_lag'),
          `${spec.name} scales on consumer lag`,
        )
        assert.ok(hpa.spec.maxReplicas <= 8, 'no more instances than partitions')
      }
      assert.ok(hpa.spec.minReplicas <= deployment.spec.replicas || overlay === 'dev')
    }
  })
}

test('when a rendered object carries a misspelled field, at any depth, then validation rejects it and names the field', async () => {
  const objects = await render('prod')
  const pick = (kind: string) => structuredClone(objects.find((o) => o.kind === kind && o.metadata.name === 'gateway')!)
  const deployment = pick('Deployment')
  const container = deployment.spec.template.spec.containers[0]
  container.readinesProbe = container.readinessProbe
  delete container.readinessProbe
  await assert.rejects(validate(deployment), /fields its schema does not declare: \/spec\/template\/spec\/containers\/0\/readinesProbe$/)
  const pod = pick('Deployment')
  pod.spec.template.spec.securityContex = pod.spec.template.spec.securityContext
  delete pod.spec.template.spec.securityContext
  await assert.rejects(validate(pod), /\/spec\/template\/spec\/securityContex$/)
  const hpa = pick('HorizontalPodAutoscaler')
  hpa.spec.minReplica = 2
  await assert.rejects(validate(hpa), /\/spec\/minReplica$/)
  const service = pick('Service')
  ;(service.metadata as Record<string, unknown>).lables = { app: 'gateway' }
  await assert.rejects(validate(service), /\/metadata\/lables$/)
  // Maps take any key: a label of any name is no unknown field.
  const labelled = pick('Service')
  labelled.metadata = { ...labelled.metadata, labels: { readinesProbe: 'x' } } as Obj['metadata']
  await assert.doesNotReject(validate(labelled))
})

test('when the prod overlay is rendered, then each service mounts its own gRPC certificate secret where GRPC_TLS_* point, and takes calls only from its callers in the topology', async () => {
  const objects = await render('prod')
  const common = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'brokerage-common')!.data!
  assert.equal(common.GRPC_TLS, 'on')
  const dir = dirname(common.GRPC_TLS_CERT!)
  assert.deepEqual(
    [common.GRPC_TLS_CA, common.GRPC_TLS_CERT, common.GRPC_TLS_KEY],
    ['ca.crt', 'tls.crt', 'tls.key'].map((f) => `${dir}/${f}`),
  )
  for (const spec of TOPOLOGY) {
    const pod = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === spec.name)!.spec.template.spec
    const mount = pod.containers[0].volumeMounts.find((m: { mountPath: string }) => m.mountPath === dir)
    assert.ok(mount?.readOnly, `${spec.name} mounts ${dir} read-only`)
    const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name)
    assert.equal(volume.secret.secretName, `brokerage-grpc-tls-${spec.name}`)
    assert.notEqual(volume.secret.optional, true, `${spec.name} does not start without its certificate`)
    const env = Object.fromEntries((pod.containers[0].env as { name: string; value?: string }[]).map((e) => [e.name, e.value]))
    const callers = TOPOLOGY.filter((s) => s.calls.includes(spec.name)).map((s) => s.name)
    assert.deepEqual((env.GRPC_TLS_ALLOWED_CALLERS ?? '').split(',').filter(Boolean).sort(), callers.sort(), `${spec.name} callers`)
  }
})

test('when deploy/k8s/grpc-tls-secrets.sh reads the files `npm run certs` writes, then it prints a valid TLS Secret per service, named as its Deployment mounts it, without the CA key', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'brokerage-grpc-tls-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const files = await ensureDevCertificates(
    dir,
    TOPOLOGY.map((s) => s.name),
  )
  const { stdout } = await promisify(execFile)(repoPath('deploy/k8s/grpc-tls-secrets.sh'), ['brokerage-dev', dir], {
    maxBuffer: 16 * 1024 * 1024,
  })
  const secrets = parseAllDocuments(stdout)
    .map((d) => d.toJS() as Obj)
    .filter(Boolean)
  const mounted = (await render('dev'))
    .filter((o) => o.kind === 'Deployment')
    .flatMap((o) => (o.spec.template.spec.volumes as { secret?: { secretName: string } }[]).map((v) => v.secret?.secretName))
  assert.deepEqual(secrets.map((s) => s.metadata.name).sort(), TOPOLOGY.map((s) => `brokerage-grpc-tls-${s.name}`).sort())
  for (const secret of secrets) {
    await assert.doesNotReject(validate(secret), secret.metadata.name)
    assert.equal(secret.metadata.namespace, 'brokerage-dev')
    assert.ok(mounted.includes(secret.metadata.name), `a Deployment mounts ${secret.metadata.name}`)
    const name = secret.metadata.name.replace('brokerage-grpc-tls-', '')
    const decoded = (k: string) => Buffer.from(secret.data![k]!, 'base64').toString('utf8')
    assert.deepEqual(Object.keys(secret.data!).sort(), ['ca.crt', 'tls.crt', 'tls.key'])
    assert.equal(decoded('tls.crt'), await readFile(files[name]!.cert, 'utf8'))
    assert.equal(decoded('tls.key'), await readFile(files[name]!.key, 'utf8'))
  }
})
