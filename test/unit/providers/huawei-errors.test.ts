import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException';
import { ServerResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServerResponseException';
import { ServiceResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServiceResponseException';
import { getLogger, LogLevel } from '@huaweicloud/huaweicloud-sdk-core/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderError, ProviderUnreachableError } from '../../../providers/adapter';
import { classifyHuaweiError, HUAWEI_ERROR_TABLE } from '../../../providers/huawei';
import { sdkLoggerSilenced } from '../../../providers/huawei/sdk-logger';
import { huaweiCall, redact } from '../../../providers/huawei/sdk';

const CREDS = { accessKeyId: 'AKTESTACCESSKEY00001', secretAccessKey: 'sk-super-secret-value-0001', domainId: 'd' };

describe('classifyHuaweiError', () => {
  it.each([
    // Billing Center
    ['CBC.99003651', 400, 'retryable', false],
    ['CBC.99003651', 200, 'retryable', false],
    ['CBC.0999', 500, 'retryable', false],
    ['CBC.3144', 200, 'retryable', false],
    ['CBC.99003656', 400, 'final', false],
    ['CBC.7281', 400, 'final', false],
    ['CBC.99003100', 400, 'final', false],
    ['CBC.0151', 403, 'final', false],
    ['CBC.0100', 400, 'final', false],
    ['CBC.99003012', 400, 'not-found', false],
    ['CBC.30000067', 400, 'not-found', true],
    ['CBC.30000067', 200, 'not-found', true],
    ['CBC.3124', 200, 'not-found', true],
    // API gateway
    ['APIGW.0308', 429, 'retryable', false],
    ['APIGW.0301', 401, 'final', false],
    ['APIGW.0302', 403, 'final', false],
    ['APIGW.0101', 404, 'final', false],
    ['APIGW.0999', 404, 'final', false],
    ['APIGW.0103', 502, 'retryable', false],
    // ModelArts, ECS, EVS, DeH: by status unless listed
    ['ModelArts.6309', 404, 'not-found', false],
    ['ModelArts.7003', 400, 'final', false],
    ['ModelArts.7004', 400, 'final', true],
    ['ModelArts.0001', 500, 'retryable', false],
    ['Ecs.0114', 404, 'not-found', false],
    ['Ecs.0000', 400, 'final', false],
    ['EVS.5404', 404, 'not-found', false],
    ['EVS.2024', 400, 'retryable', false],
    ['DEH.0404', 404, 'not-found', false],
    // unknown codes
    ['Whatever.1', 429, 'retryable', false],
    ['Whatever.1', 503, 'retryable', false],
    ['Whatever.1', 409, 'final', false],
    ['Whatever.1', 200, 'final', false],
  ] as const)('%s / HTTP %i -> %s (alreadyDone %s)', (code, status, errorClass, alreadyDone) => {
    expect(classifyHuaweiError(code, status)).toEqual({ errorClass, alreadyDone });
  });

  it('explains every entry of the table', () => {
    for (const [code, entry] of Object.entries(HUAWEI_ERROR_TABLE)) expect(entry.why, code).not.toBe('');
  });
});

describe('huaweiCall: SDK outcomes into ProviderError / ProviderUnreachableError', () => {
  // The SDK rejects with plain objects, not Errors: that is what is being tested.
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
  const call = (thrown: unknown) => huaweiCall('Test', CREDS, () => Promise.reject(thrown));

  it('maps an error answer with its code, status and request ID', async () => {
    const err = await call(new ClientRequestException(400, 'busy', 'CBC.99003651', 'req-1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'huawei', code: 'CBC.99003651', errorClass: 'retryable', httpStatus: 400, requestId: 'req-1' });
  });

  it('maps a 5xx answer to retryable', async () => {
    const err = await call(new ServerResponseException(500, 'internal', 'ModelArts.0001', 'req-2')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ModelArts.0001', errorClass: 'retryable', httpStatus: 500 });
  });

  it('treats no answer (no HTTP status) as unreachable', async () => {
    const err = await call(new ServiceResponseException(undefined, 'connect ECONNREFUSED 127.0.0.1:1', undefined, undefined)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnreachableError);
  });

  it('treats an error status without a Huawei error body as unreachable', async () => {
    const err = await call(new ServerResponseException(502, 'Request failed with status code 502', undefined, undefined)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnreachableError);
  });

  it('turns a 200 carrying a BSS error code into a ProviderError', async () => {
    const err = await huaweiCall('Test', CREDS, async () => ({ error_code: 'CBC.30000067', error_msg: 'already', httpStatusCode: 200 }), true).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'CBC.30000067', errorClass: 'not-found', httpStatus: 200 });
  });

  it("passes a success through: CBC.0000 from BSS, a failed job's own error_code from ECS", async () => {
    await expect(huaweiCall('Test', CREDS, async () => ({ error_code: 'CBC.0000', order_ids: ['o'] }), true)).resolves.toMatchObject({
      body: { order_ids: ['o'] },
    });
    await expect(huaweiCall('Test', CREDS, async () => ({ status: 'FAIL', error_code: 'Ecs.0000' }))).resolves.toMatchObject({ body: { status: 'FAIL' } });
  });

  it('redacts signatures and keys from provider messages', async () => {
    const msg = `bad Authorization: SDK-HMAC-SHA256 Access=${CREDS.accessKeyId}, SignedHeaders=host, Signature=abcdef0123 key ${CREDS.secretAccessKey}`;
    const err = await call(new ClientRequestException(401, msg, 'APIGW.0301', 'r')).catch((e: unknown) => e);
    const text = `${(err as Error).message} ${JSON.stringify(err)}`;
    expect(text).not.toContain(CREDS.secretAccessKey);
    expect(text).not.toContain(CREDS.accessKeyId);
    expect(text).not.toContain('abcdef0123');
    expect(redact('Signature=00ff, Access=AK1', CREDS)).toBe('Signature=[redacted], Access=[redacted]');
  });
});

describe('the SDK logger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is silenced: nothing the SDK logs reaches stdout or the console', () => {
    expect(sdkLoggerSilenced()).toBe(true);
    const out = vi.spyOn(process.stdout, 'write');
    const log = vi.spyOn(console, 'log');
    const logger = getLogger('DefaultHttpClient', LogLevel.DEBUG);
    logger.error('Some error found:', { headers: { Authorization: 'SDK-HMAC-SHA256 Access=AK, Signature=secret' } });
    logger.debug('Request: GET /');
    expect(out).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });
});
