// The Web UI's path, in a real browser (README "From the Web UI"): a platform engineer fills the Start Workflow
// form of the shared dev server's UI with the Baidu example and submits it; the release runs on this file's worker.
// The browser twin of cli.test.ts. Needs Debian's chromium (scripts/install-chromium.sh; .ci/run calls it).
// Screenshots of the filled form and of the completed workflow's page go to $TMPDIR/cloud-release-web-ui/.
import { WorkflowNotFoundError } from '@temporalio/client';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { confirmBackup, progress, releaseHandle, startRelease } from '../../client/release';
import { releaseWorkflowId, type ReleaseRequest } from '../../domain/request';
import { startSimHarness, testNamespace } from './harness';
import { withBrowser } from './browser';

const examplePath = join(__dirname, '..', '..', 'examples', 'baidu-bcc.json');
const screenshots = join(tmpdir(), 'cloud-release-web-ui');

describe('starting a release from the Temporal Web UI', () => {
  let h: Awaited<ReturnType<typeof startSimHarness>>;
  const input = JSON.parse(readFileSync(examplePath, 'utf8')) as ReleaseRequest;
  beforeAll(async () => {
    h = await startSimHarness();
  });
  afterAll(async () => h?.close());
  afterEach(async () => {
    await h.terminateRunning();
    // The UI started this one, not h.start: a failed test must not leave it running either.
    const { status } = await releaseHandle(h.client, input)
      .describe()
      .catch((e: unknown) => {
        if (e instanceof WorkflowNotFoundError) return { status: { name: 'NOT_FOUND' } };
        throw e;
      });
    if (status.name === 'RUNNING') await releaseHandle(h.client, input).terminate('test cleanup');
  });

  it('Start Workflow form → releaseResource runs on the worker: released, one ReleaseInstance, Completed in the UI', { timeout: 150_000 }, async () => {
    const ui = `http://${inject('temporalUiAddress')}/namespaces/${encodeURIComponent(testNamespace())}`;
    const workflowId = releaseWorkflowId(input); // release/baidu/bj/i-post0001
    const handle = releaseHandle(h.client, input);
    await expect(handle.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError); // only the form can start it
    mkdirSync(screenshots, { recursive: true });

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      page.setDefaultTimeout(20_000);
      page.setDefaultNavigationTimeout(30_000);

      // The form, as the README tells an engineer to fill it.
      await page.goto(`${ui}/workflows/start-workflow`);
      await page.getByRole('heading', { name: 'Start a Workflow' }).waitFor();
      await page.getByRole('textbox', { name: 'Workflow ID' }).fill(workflowId);
      await page.getByRole('textbox', { name: 'Task Queue' }).fill(h.taskQueue);
      await page.getByRole('textbox', { name: 'Workflow Type' }).fill('releaseResource');
      const json = readFileSync(examplePath, 'utf8');
      const editor = await inputEditor(page);
      await editor.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.insertText(json); // as a paste: no auto-closed brackets or auto-indent on top of the file's own
      expect(JSON.parse(await editor.innerText())).toEqual(JSON.parse(json));
      const submit = page.getByRole('button', { name: 'Start Workflow' });
      expect(await submit.isEnabled()).toBe(true);
      await page.screenshot({ path: join(screenshots, 'start-workflow-form.png'), fullPage: true });

      await submit.click();
      const started = page.getByRole('link', { name: 'Workflow started successfully' });
      await started.waitFor().catch(async (err: unknown) => {
        throw new Error(
          `the UI did not confirm the start; its notifications say: ${JSON.stringify(
            await page
              .getByRole('log')
              .innerText()
              .catch(() => ''),
          )}`,
          { cause: err },
        );
      });
      const startedHref = (await started.getAttribute('href')) ?? '';

      // That start is this run, of this type, on this worker's queue: it runs to its end.
      const description = await handle.describe();
      expect(startedHref).toBe(`/namespaces/${testNamespace()}/workflows/${encodeURIComponent(workflowId)}/${description.runId}/history`);
      expect(description.type).toBe('releaseResource');
      expect(description.taskQueue).toBe(h.taskQueue);
      const report = await within(60_000, handle.result(), `the release ${workflowId} did not end`);
      expect(report.outcome).toBe('released');
      expect(report.workflowId).toBe(workflowId);
      expect(report.resource).toMatchObject({ provider: 'baidu', region: 'bj', resourceId: 'i-post0001' });
      const destroys = await h.admin.calls({ provider: 'baidu', action: 'ReleaseInstance' });
      expect(destroys.map((c) => c.target)).toEqual(['i-post0001']);

      // The workflow's page shows it completed.
      await page.goto(`${ui}/workflows/${encodeURIComponent(workflowId)}`);
      await page.getByRole('heading', { level: 1, name: workflowId }).waitFor();
      await page.getByRole('main').getByText('Completed', { exact: true }).first().waitFor();
      await page.getByRole('main').getByText(description.runId, { exact: true }).first().waitFor();
      await page.getByRole('main').getByText('"outcome": "released"').first().waitFor(); // the Result panel: the report
      await page.screenshot({ path: join(screenshots, 'workflow-completed.png'), fullPage: true });
    });
  });
});

describe('the workflow page reads like the runbook (user metadata)', () => {
  let h: Awaited<ReturnType<typeof startSimHarness>>;
  const input = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'alibaba-ecs.json'), 'utf8')) as ReleaseRequest;
  beforeAll(async () => {
    h = await startSimHarness();
  });
  afterAll(async () => h?.close());
  afterEach(async () => {
    const handle = releaseHandle(h.client, input);
    const { status } = await handle.describe().catch(() => ({ status: { name: 'NOT_FOUND' } }));
    if (status.name === 'RUNNING') await handle.terminate('test cleanup');
  });

  it('summary and details of the start, current details with the update to send, a summary on each activity', { timeout: 150_000 }, async () => {
    const ui = `http://${inject('temporalUiAddress')}/namespaces/${encodeURIComponent(testNamespace())}`;
    const handle = await startRelease(h.client, input, h.taskQueue);
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 30_000 }).toBe('confirm');
    mkdirSync(screenshots, { recursive: true });

    await withBrowser(
      async (browser) => {
        const page = await browser.newPage();
        page.setDefaultTimeout(20_000);
        page.setDefaultNavigationTimeout(30_000);
        const main = page.getByRole('main');
        await page.goto(`${ui}/workflows/${encodeURIComponent(handle.workflowId)}`);
        await page.getByRole('heading', { level: 1, name: handle.workflowId }).waitFor();
        // The static summary and details the client set at the start.
        await main.getByText('release ecs-instance i-bp1stoppedpaygo01 (alibaba cn-hangzhou) for alice@platform').first().waitFor();
        // A summary on each activity, in the timeline and the event history: the inspection, by name and resource.
        await main.getByText('inspect ecs-instance i-bp1stoppedpaygo01').first().waitFor();
        await page
          .getByRole('tab', { name: 'User Metadata' })
          .or(page.getByRole('link', { name: 'User Metadata' }))
          .first()
          .click();
        // The static details the client set at the start, and the current details: the phase, the plan in short, and
        // the exact update that lets the release go on. The UI renders markdown in sandboxed frames.
        await textShown(page, 'Requested by: alice@platform, ticket CHG-1001');
        await textShown(page, 'Phase: confirm');
        await textShown(page, 'needs backup');
        await textShown(page, 'cloud-release confirm alibaba/cn-hangzhou/i-bp1stoppedpaygo01 --by');
        await page.screenshot({ path: join(screenshots, 'workflow-waiting.png'), fullPage: true });

        await confirmBackup(handle, { confirmedBy: 'bob@platform', backupReference: 'snap-ui-1' });
        expect((await handle.result()).outcome).toBe('released');
        await page.reload();
        await textShown(page, 'Phase: done (released)');
        await textShown(page, 'Backup confirmed by: bob@platform');
        await main.getByText('delete ecs-instance i-bp1stoppedpaygo01 (destructive, once)').first().waitFor();
        await page.screenshot({ path: join(screenshots, 'workflow-released.png'), fullPage: true });
      },
      { width: 1400, height: 1600 },
    );
  });
});

/** `text` shows on the page or in one of its frames (the UI renders user markdown in sandboxed iframes), within 20 s. */
async function textShown(page: Page, text: string): Promise<void> {
  const until = Date.now() + 20_000;
  const squash = (t: string) => t.replace(/\s+/g, ' ');
  for (;;) {
    for (const frame of page.frames()) {
      const body = await frame
        .locator('body')
        .innerText({ timeout: 1_000 })
        .catch(() => '');
      if (squash(body).includes(text)) return;
    }
    if (Date.now() > until) throw new Error(`the page does not show "${text}"`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * The Input's Data field is a CodeMirror editor (a contenteditable `role=textbox` without a name): its `<label>`
 * points at the editor's container, so find it through that label.
 */
async function inputEditor(page: Page) {
  const id = await page.locator('label', { hasText: /^\s*Data\s*$/ }).getAttribute('for');
  if (!id) throw new Error('no "Data" label on the Start Workflow form');
  return page.locator(`[id="${id}"]`).getByRole('textbox');
}

/** `promise`, or a clear failure after `ms` (a start the worker never picks up would otherwise wait until the test's timeout). */
async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000}s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
