import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// `npm run dev -w @brokerage/web` serves the UI with hot reload and sends the API (and the
// live feed) to the gateway of `npm start`.
const gateway = 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': { target: gateway, ws: true } } },
})
