// What a call rejected with, asserted to be of the type the caller decides on (fails the test on anything else).
import { ApplicationFailure } from '@temporalio/common';
import { expect } from 'vitest';

export async function rejectedAs<T>(p: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as T;
}

/** An activity's rejection: an ApplicationFailure, the type the workflow decides on. */
export const failureOf = (p: Promise<unknown>): Promise<ApplicationFailure> => rejectedAs(p, ApplicationFailure);
