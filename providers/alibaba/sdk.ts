// The official ECS SDK, loaded at the first request (providers/lazy-module.ts). Its types: `import type` from the package.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded at first use, on purpose */
import type * as EcsSdk from '@alicloud/ecs20140526';
import type * as OpenApiSdk from '@alicloud/openapi-client';
import { lazyModule } from '../lazy-module';

export const $Ecs = lazyModule(() => require('@alicloud/ecs20140526') as typeof EcsSdk);
export const $OpenApi = lazyModule(() => require('@alicloud/openapi-client') as typeof OpenApiSdk);
