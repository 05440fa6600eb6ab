// `npm run certs -- <dir>`: the development PKI for the services' mutual TLS on gRPC, for a
// deployment (deploy/compose.yaml reads deploy/secrets/grpc; a development cluster takes the same
// files as Secrets, deploy/README.md). A CA (kept, so a second run renews only what is missing
// or near expiry) and one certificate per service of the topology, named after the service:
//   <dir>/ca.pem, <dir>/<service>.pem, <dir>/<service>-key.pem
// The CA's key (<dir>/ca-key.pem) issues new certificates; keep it out of every container.
// Production brings certificates from its own CA (or cert-manager) in the same form.
import { resolve } from 'node:path'
import { ensureDevCertificates } from '@brokerage/platform/grpc/certs'
import { TOPOLOGY } from './topology.js'

const [dir, ...rest] = process.argv.slice(2)
if (!dir || rest.length > 0 || dir.startsWith('-')) {
  console.error('usage: npm run certs -- <dir>   (e.g. deploy/secrets/grpc)')
  process.exit(2)
}
const files = await ensureDevCertificates(
  resolve(dir),
  TOPOLOGY.map((s) => s.name),
)
for (const [name, f] of Object.entries(files)) console.log(`${name}: ${f.cert} ${f.key}`)
console.log(`CA: ${resolve(dir, 'ca.pem')} (its key ca-key.pem stays here, out of every container)`)
