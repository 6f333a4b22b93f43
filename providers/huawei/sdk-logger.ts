/**
 * Silences the Huawei SDK core's logger. Imported before any other SDK module by sdk.ts.
 *
 * Why: `@huaweicloud/huaweicloud-sdk-core` logs through log4js. Its HTTP client logs every failed
 * request at ERROR level ("Some error found:") together with the axios config, which holds the
 * request's `Authorization` header (access key ID and signature); with `DEBUG=DEBUG` it also logs
 * every request's headers. All of its loggers write through one object, `Logger4jInstance` of
 * `logger/log4jLogger`, which they read at each call. We replace that object with a sink that drops
 * everything, so nothing the SDK would print can reach stdout, a log file, or the application's
 * own log4js appenders.
 *
 * Requiring that module also runs `log4js.configure()` (a stdout appender on the default category):
 * that happens once, when the SDK is first loaded, and replaces any log4js configuration made
 * before. An application that uses log4js itself must configure it after importing this adapter.
 */

type LogFn = (...args: unknown[]) => void;
interface Log4jLike {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const drop: LogFn = () => undefined;
const SILENT: Log4jLike = { debug: drop, info: drop, warn: drop, error: drop };

// A plain require, not an ES import: the module's exports object must be mutated in place, and an
// ES namespace object would be a frozen copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkLog = require('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger') as { Logger4jInstance?: Log4jLike };

if (!sdkLog || typeof sdkLog.Logger4jInstance?.error !== 'function') {
  // An SDK upgrade moved the logger: refuse to run rather than risk printing signatures.
  throw new Error('huawei adapter: cannot silence the Huawei SDK logger (logger/log4jLogger changed); check the SDK version');
}
sdkLog.Logger4jInstance = SILENT;

/** True once the SDK's logger is the silent sink (checked by the tests). */
export function sdkLoggerSilenced(): boolean {
  return sdkLog.Logger4jInstance === SILENT;
}
