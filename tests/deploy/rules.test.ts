// The alert rules through Prometheus's own tool: they parse, and each fires on the series that
// should trip it and stays quiet on healthy ones (deploy/prometheus/tests/*.yml).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { repoPath } from './service-env.js'

const promtool = (...args: string[]) => promisify(execFile)('promtool', args, { cwd: repoPath('deploy/prometheus') })

test('when promtool checks the alert rules, then every rule is valid', async () => {
  const { stdout } = await promtool('check', 'rules', 'rules/brokerage.yml')
  assert.match(stdout, /SUCCESS: 9 rules found/)
})

test("when promtool runs the rules' unit tests, then every alert fires and stays quiet as expected", async () => {
  const { stdout } = await promtool('test', 'rules', 'tests/brokerage.test.yml')
  assert.match(stdout, /SUCCESS/)
})
