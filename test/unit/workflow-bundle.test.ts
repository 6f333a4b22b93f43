// The modules the workflow bundle preloads (workflow-bundle.ts) are shared by every workflow of a worker thread: each
// must keep no state and must not need a workflow at module scope, or one workflow would see another's.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PRELOADED_MODULES, workflowBundleOptions } from '../../workflow-bundle';

const ROOT = join(__dirname, '..', '..');

/** What a preloaded module does at its top level that could hold or need per-workflow state. */
function moduleScopeProblems(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = (statement.moduleSpecifier as ts.StringLiteral).text;
      const typeOnly = statement.importClause?.isTypeOnly ?? false;
      if (from.startsWith('.')) {
        // A relative import leads to another module evaluated early: it must be preloaded too.
        const target = normalize(join(dirname(file), `${from}.ts`));
        if (!typeOnly && !PRELOADED_MODULES.includes(target)) problems.push(`${at(statement)} imports ${from}, which is not preloaded`);
      } else if (!typeOnly && from !== '@temporalio/common') problems.push(`${at(statement)} imports ${from}`);
    } else if (ts.isVariableStatement(statement)) {
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) problems.push(`${at(statement)}: a module-level let/var`);
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        if (init && ts.isRegularExpressionLiteral(init) && /\/[a-z]*[gy][a-z]*$/.test(init.text))
          problems.push(`${at(d)}: a global or sticky regex keeps lastIndex`);
        if (init && ts.isNewExpression(init) && /^(Map|Set|WeakMap|WeakSet|Array)$/.test(init.expression.getText()))
          problems.push(`${at(d)}: a module-level ${init.expression.getText()}`);
        if (init && (ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init))) {
          // Literal tables are fine when nothing can change them: `as const`, a readonly type, or frozen.
          const type = d.type?.getText() ?? '';
          if (!/readonly|Readonly/.test(type) && !/as const$/.test(d.initializer.getText()) && !ts.isAsExpression(init)) {
            problems.push(`${at(d)}: a mutable module-level ${ts.isArrayLiteralExpression(init) ? 'array' : 'object'}`);
          }
        }
      }
    } else if (ts.isExpressionStatement(statement)) {
      problems.push(`${at(statement)}: code runs at module scope`);
    }
  }
  return problems;
}

describe('preloaded workflow modules', () => {
  it('are the domain modules and the two common modules the workflows import, none of them a workflow module', () => {
    expect(PRELOADED_MODULES).toContain('domain/plan.ts');
    expect(PRELOADED_MODULES).toContain('domain/rules/protection.ts');
    expect(PRELOADED_MODULES).toEqual(expect.arrayContaining(['common/failure-types.ts', 'common/temporal.ts']));
    expect(PRELOADED_MODULES.filter((m) => !m.startsWith('domain/') && !m.startsWith('common/'))).toEqual([]);
    expect(workflowBundleOptions().preloadModules).toEqual(PRELOADED_MODULES.map((m) => join(ROOT, m)));
  });

  it.each(PRELOADED_MODULES)('%s keeps no state and needs no workflow at module scope', (file) => {
    expect(moduleScopeProblems(file)).toEqual([]);
  });

  it('the check finds state where there is some', () => {
    const stateful = [
      "import { workflowInfo } from '@temporalio/workflow';",
      "import type { Plan } from './plan';",
      "import { helper } from './not-preloaded';",
      'let calls = 0;',
      'const TOKEN = /x/g;',
      'const seen = new Map<string, number>();',
      'const queue: string[] = [];',
      "export const KINDS = ['a', 'b'] as const;",
      'const LIMITS: Readonly<Record<string, number>> = { a: 1 };',
      'calls++;',
    ].join('\n');
    const problems = moduleScopeProblems('domain/stateful.ts', stateful);
    expect(problems.map((p) => p.replace(/^[^ :]+:\d+:? ?/, ''))).toEqual([
      'imports @temporalio/workflow',
      'imports ./not-preloaded, which is not preloaded',
      'a module-level let/var',
      'a global or sticky regex keeps lastIndex',
      'a module-level Map',
      'a mutable module-level array',
      'code runs at module scope',
    ]);
  });
});
