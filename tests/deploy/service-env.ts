// The environment variables each service reads, found in its code rather than kept by hand:
// every file its main.ts reaches (its own sources and the platform's), compiled by TypeScript,
// and in them every `readConfig(env, spec)` (the keys of spec's type), every `process.env.X` /
// `env['X']`, and every upper-case name handed with an `env` to a reader (`intSetting(env, 'X', …)`).
import { dirname, join, resolve } from 'node:path'
import { realpathSync } from 'node:fs'
import ts from 'typescript'
import { ROOT } from '../../scripts/platform.js'
import { TOPOLOGY } from '../../scripts/topology.js'

const NAME = /^[A-Z][A-Z0-9_]*$/

const options: ts.CompilerOptions = {
  ...ts.parseJsonConfigFileContent(ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile).config, ts.sys, ROOT).options,
  noEmit: true,
}

/** Repository files (not node_modules, not tests) that `file` imports, statically or dynamically, transitively. */
function reachable(program: ts.Program, main: string): ts.SourceFile[] {
  const seen = new Map<string, ts.SourceFile>()
  const visit = (fileName: string) => {
    const real = realpathSync(fileName)
    if (seen.has(real) || real.includes('/node_modules/') || !real.startsWith(ROOT) || /\.test\.ts$|\.d\.ts$/.test(real)) return
    const sf = program.getSourceFile(fileName) ?? program.getSourceFile(real)
    if (!sf) return
    seen.set(real, sf)
    const specifiers: string[] = []
    sf.forEachChild(function walk(node) {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      )
        specifiers.push(node.moduleSpecifier.text)
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!))
        specifiers.push((node.arguments[0] as ts.StringLiteral).text)
      node.forEachChild(walk)
    })
    for (const spec of specifiers) {
      const resolved = ts.resolveModuleName(spec, sf.fileName, options, ts.sys).resolvedModule
      if (resolved && !resolved.isExternalLibraryImport) visit(resolved.resolvedFileName)
      else if (resolved && spec.startsWith('@brokerage/')) visit(resolved.resolvedFileName)
    }
  }
  visit(main)
  return [...seen.values()]
}

const isEnvReceiver = (e: ts.Expression) => e.getText() === 'process.env' || (ts.isIdentifier(e) && e.text === 'env')

function variablesIn(sf: ts.SourceFile, checker: ts.TypeChecker, out: Set<string>) {
  sf.forEachChild(function walk(node) {
    if (ts.isCallExpression(node)) {
      const callee = node.expression
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : ''
      if (name === 'readConfig' && node.arguments[1]) {
        for (const p of checker.getTypeAtLocation(node.arguments[1]).getProperties()) out.add(p.name)
      } else if (node.arguments.some((a) => isEnvReceiver(a))) {
        for (const a of node.arguments) if (ts.isStringLiteral(a) && NAME.test(a.text)) out.add(a.text)
      }
    }
    if (ts.isPropertyAccessExpression(node) && isEnvReceiver(node.expression) && NAME.test(node.name.text)) out.add(node.name.text)
    if (
      ts.isElementAccessExpression(node) &&
      isEnvReceiver(node.expression) &&
      ts.isStringLiteral(node.argumentExpression) &&
      NAME.test(node.argumentExpression.text)
    )
      out.add(node.argumentExpression.text)
    node.forEachChild(walk)
  })
}

/** Service name → the variables it reads, sorted. */
export function serviceVariables(): Map<string, string[]> {
  const mains = TOPOLOGY.map((s) => resolve(ROOT, 'services', s.name, 'src', 'main.ts'))
  const program = ts.createProgram(mains, options)
  const checker = program.getTypeChecker()
  const out = new Map<string, string[]>()
  for (const [i, s] of TOPOLOGY.entries()) {
    const vars = new Set<string>()
    for (const sf of reachable(program, mains[i]!)) variablesIn(sf, checker, vars)
    out.set(s.name, [...vars].sort())
  }
  return out
}

export const repoPath = (...parts: string[]) => join(ROOT, ...parts)
export { dirname }
