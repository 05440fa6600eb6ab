// Regenerates the protos' TypeScript types (src/grpc/generated): `npm run proto:gen`.
// Run it after changing a .proto or PROTO_LOADER_OPTIONS, and commit the result.
import { relative } from 'node:path'
import { GENERATED_DIR, regenerate } from './generate.js'

regenerate()
console.log(`wrote ${relative(process.cwd(), GENERATED_DIR)}`)
