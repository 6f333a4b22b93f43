// What an activity rejected with, asserted to be an ApplicationFailure (the type the workflow decides on).
import { ApplicationFailure } from '@temporalio/common';
import { expect } from 'vitest';

export async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}
