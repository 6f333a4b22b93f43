// Huawei Cloud's official ECS SDK, loaded at the first request (providers/lazy-module.ts); the SDK core, small, is
// imported as usual (sdk.ts silences its logger before anything can log).
/* eslint-disable @typescript-eslint/no-require-imports -- loaded at first use, on purpose */
import type * as EcsSdk from '@huaweicloud/huaweicloud-sdk-ecs';
import { lazyModule } from '../lazy-module';

export const $HuaweiEcs = lazyModule(() => require('@huaweicloud/huaweicloud-sdk-ecs') as typeof EcsSdk);
